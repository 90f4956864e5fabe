// npm run bench:kb — knowledge search alone (the same part bench:workbench runs): ours vs MiniSearch at
// 50,000 articles. Options: --articles N, --queries N (default 600, sampled with a fixed seed from
// the 2,798 labelled messages: MiniSearch takes up to a second per query at this size). One JSON line.
import { parseArgs } from 'node:util'
import { benchKnowledgeSearch } from './workbench/kb'

const { values } = parseArgs({ options: { articles: { type: 'string', default: '50000' }, queries: { type: 'string', default: '600' }, peer: { type: 'string', default: 'true' } } })
void benchKnowledgeSearch({
  articles: Number(values.articles),
  queries: Number(values.queries),
  peer: values.peer !== 'false',
  log: (line) => process.stderr.write(line + '\n')
}).then((result) => console.log(JSON.stringify(result)))
