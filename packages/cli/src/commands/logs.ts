import { seg } from '../api.js';
import type { Command } from '../context.js';
import { EXIT, usageError } from '../errors.js';

export const logs: Command = {
  name: 'logs',
  summary: "an app's process output: the last lines, or --tail to keep streaming",
  usage: 'paas logs [-n LINES] [--tail] [-a APP]',
  description: '-n: how many of the latest lines (default 100, at most 1000). --tail (-t) streams new lines until Ctrl-C.',
  examples: ['paas logs -a my-app', 'paas logs -n 20 --tail', 'paas logs --json'],
  options: ['app', 'num', 'tail'],
  args: { min: 0, max: 0 },
  async run(ctx) {
    const num = ctx.options.num;
    if (num !== undefined && !/^\d+$/.test(num)) throw usageError(`-n takes a number of lines, got "${num}"`);
    if (ctx.options.tail && ctx.out.json) throw usageError('--json gives one document: use it without --tail');
    const app = ctx.app();
    const api = ctx.api();
    const query = new URLSearchParams();
    if (num !== undefined) query.set('tail', num);
    if (ctx.options.tail) query.set('follow', '1');
    const path = `/api/v1/apps/${seg(app)}/logs${query.size > 0 ? `?${query}` : ''}`;
    if (ctx.out.json) {
      let text = '';
      await api.stream(
        path,
        (t) => {
          text += t;
        },
        ctx.signal,
      );
      const lines = text.split('\n');
      if (lines.at(-1) === '') lines.pop();
      ctx.out.result({ app, lines }, () => {});
      return EXIT.ok;
    }
    // Streams until the server ends it or Ctrl-C (which ends `paas logs --tail` normally).
    await api.stream(path, (t) => ctx.out.text(t), ctx.signal);
    return EXIT.ok;
  },
};
