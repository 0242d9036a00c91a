import { generateDemo } from '../electron/demo/generate.js';
const t = Date.now();
const s = await generateDemo({ out: process.argv[2] ?? '/tmp/demo-out', applicants: Number(process.argv[3] ?? 40), seed: Number(process.argv[4] ?? 1), listOnly: process.argv[5] === 'list' });
console.log(JSON.stringify(s), Date.now() - t, 'ms');
