// Writes deploy/aws/control-plane.json, the platform itself as one stack, from
// the policies the provider is tested against:
// node --import tsx scripts/aws-control-plane-template.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderControlPlaneTemplate } from '../packages/cloud/src/aws/policies/control-plane-template';

const file = join(import.meta.dirname, '../deploy/aws/control-plane.json');
writeFileSync(file, `${JSON.stringify(renderControlPlaneTemplate(), null, 2)}\n`);
console.log(`wrote ${file}`);
