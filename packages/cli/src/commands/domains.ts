import { seg } from '../api.js';
import type { Command } from '../context.js';
import { EXIT } from '../errors.js';
import { sanitizeLine } from '../output.js';
import { table } from '../table.js';

interface DomainView {
  hostname: string;
  status: string;
  certificate: string | null;
  dnsRecords: { name: string; type: string; value: string }[];
  error: string | null;
}

export const domains: Command = {
  name: 'domains',
  summary: "an app's custom domains and the DNS records each needs",
  usage: 'paas domains [-a APP]',
  examples: ['paas domains -a my-app'],
  options: ['app'],
  args: { min: 0, max: 0 },
  async run(ctx) {
    const app = ctx.app();
    const { domains: list } = await ctx.api().get<{ domains: DomainView[] }>(`/api/v1/apps/${seg(app)}/domains`);
    ctx.out.result({ app, domains: list }, () => {
      if (list.length === 0) {
        ctx.out.line(`${sanitizeLine(app)} has no custom domains. Add one with \`paas domains:add HOSTNAME\`.`);
        return;
      }
      ctx.out.line(
        table(list, [
          { header: 'hostname', value: (d) => d.hostname },
          { header: 'status', value: (d) => d.status },
          { header: 'certificate', value: (d) => d.certificate ?? '—' },
          { header: 'error', value: (d) => d.error ?? '' },
        ]),
      );
      const records = list.flatMap((d) => d.dnsRecords);
      if (records.length > 0) {
        ctx.out.line();
        ctx.out.line('Publish these DNS records:');
        ctx.out.line(
          table(records, [
            { header: 'name', value: (r) => r.name },
            { header: 'type', value: (r) => r.type },
            { header: 'value', value: (r) => r.value },
          ]),
        );
      }
    });
    return EXIT.ok;
  },
};

export const domainsAdd: Command = {
  name: 'domains:add',
  summary: 'serve the app on a hostname of yours (a certificate is requested for it)',
  usage: 'paas domains:add HOSTNAME [-a APP]',
  examples: ['paas domains:add www.example.com -a my-app'],
  options: ['app'],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const app = ctx.app();
    const { body } = await ctx.api().call<{ hostname: string; status: string }>('POST', `/api/v1/apps/${seg(app)}/domains`, {
      body: { hostname: ctx.args[0] },
    });
    ctx.out.result({ app, ...body }, () => {
      ctx.out.line(`Added ${sanitizeLine(body.hostname)} to ${sanitizeLine(app)} (${sanitizeLine(body.status)}).`);
      ctx.out.line('A certificate is being requested: `paas domains` shows the DNS records to publish.');
    });
    return EXIT.ok;
  },
};

export const domainsRemove: Command = {
  name: 'domains:remove',
  summary: 'stop serving the app on a hostname',
  usage: 'paas domains:remove HOSTNAME [-a APP]',
  examples: ['paas domains:remove www.example.com -a my-app'],
  options: ['app'],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const app = ctx.app();
    const hostname = ctx.args[0] as string;
    const { body } = await ctx.api().call('DELETE', `/api/v1/apps/${seg(app)}/domains/${seg(hostname)}`);
    ctx.out.result(body ?? { app, hostname }, () =>
      ctx.out.line(`Removing ${sanitizeLine(hostname)} from ${sanitizeLine(app)}.`),
    );
    return EXIT.ok;
  },
};
