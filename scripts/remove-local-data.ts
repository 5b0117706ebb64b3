// Removes a local provider data dir for good: stops its processes, deletes the
// app users made for it, removes the files. For test platforms and uninstalls.
//   node --import tsx scripts/remove-local-data.ts <dataDir>
import { removeLocalData } from '@paas/cloud';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: remove-local-data.ts <dataDir>');
await removeLocalData(dataDir);
