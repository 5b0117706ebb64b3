// Stops every app process the local provider started under PAAS_DATA_DIR.
import { stopAllLocalProcesses } from '@paas/cloud';

const dataDir = process.env.PAAS_DATA_DIR;
if (!dataDir) throw new Error('PAAS_DATA_DIR is not set');
await stopAllLocalProcesses(dataDir);
