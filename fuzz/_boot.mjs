// Worker bootstrap: registers tsx (TypeScript straight from src/) in this thread, then loads the
// worker. Node 20 does not pass `--import tsx` loader hooks on to worker threads.
import { register } from 'tsx/esm/api'
import { workerData } from 'node:worker_threads'

register()
void import(workerData.file)
