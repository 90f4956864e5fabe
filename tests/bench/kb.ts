// npm run bench:kb — knowledge search alone (the same part bench:workbench runs): ours vs MiniSearch at
// 50,000 articles. Options: --articles N, --queries N (default: all 2,798 labelled messages). One JSON line.
import { parseArgs } from 'node:util'
import { benchKnowledgeSearch } from './workbench/kb'

const { values } = parseArgs({ options: { articles: { type: 'string', default: '50000' }, queries: { type: 'string' } } })
void benchKnowledgeSearch({
  articles: Number(values.articles),
  queries: values.queries ? Number(values.queries) : undefined,
  log: (line) => process.stderr.write(line + '\n')
}).then((result) => console.log(JSON.stringify(result)))
