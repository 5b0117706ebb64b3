// Writes deploy/aws/account-template.json from the policies the provider is
// tested against: node --import tsx scripts/aws-account-template.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderAccountTemplate } from '../packages/cloud/src/aws/policies/account-template';

const file = join(import.meta.dirname, '../deploy/aws/account-template.json');
writeFileSync(file, `${JSON.stringify(renderAccountTemplate(), null, 2)}\n`);
console.log(`wrote ${file}`);
