// Run: npx tsx examples/typescript/main.ts   (or node --import tsx examples/typescript/main.ts)
import { Averager, Thermometer } from './workers.js';

const averager = new Averager({ maxBufferSize: 5, workTimeout: 1000 });
const thermometer = new Thermometer({ workTimeout: 20, args: { sensor: 'lab-1' }, subscribers: [averager.getWorkQueue()] });
averager.on('result', (line) => console.log(line)); // line: string, from the Averager's declared result

await averager.start();
const finished = new Promise<void>((resolve) => thermometer.on('state', (state) => state === 'stopped' && resolve()));
await thermometer.start();
await finished; // the thermometer stopped itself after 5 readings
await averager.stopAtQueueEnd();
