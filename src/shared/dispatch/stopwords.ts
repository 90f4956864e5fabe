/**
 * Chinese function words (our own list): pronouns, particles, prepositions, conjunctions, degree and time adverbs,
 * modal words and politeness fillers that carry no category. They are cut as units by the segmenter and then
 * dropped, unless the training vocabulary kept the word as content.
 */
const WORDS = `
的 地 得 了 着 过 吗 呢 吧 啊 呀 哦 嘛 哈 啦 么 哇 呐 嘞 噢 喔 唉 哎 嗯
我 你 您 他 她 它 我们 你们 您们 他们 她们 它们 咱 咱们 大家 自己 本人 人家 别人 某些 其 其他 其它 其余 此 彼
这 那 这个 那个 这些 那些 这里 那里 这儿 那儿 这样 那样 这么 那么 这种 那种 这边 那边 这次 那次 这是 那是 之 之一
哪 哪里 哪儿 哪个 哪些 什么 怎么 怎样 怎么样 怎么办 如何 为什么 为何 多少 几 谁 啥 咋
是 为 有 没 没有 无 在 于 对 对于 关于 把 被 给 让 叫 使 将 以 用 从 自 自从 向 往 朝 到 至 至于 跟 同 和 与 及 以及
并 并且 而 而且 或 或者 或是 还是 但 但是 可是 然而 不过 只是 因为 由于 所以 因此 因而 于是 如果 假如 要是 若 即使
虽然 虽 尽管 不管 无论 只要 只有 除了 除非 既然 然后 接着 还有 另外 此外 而是 就是 也是 都是 可以 可能 能 能够 会
要 想 应 应该 应当 需要 得以 必须 一定 肯定 也许 或许 大概 似乎 好像 仿佛 比如 例如 像 如 比 比较 更 最 很 太 非常
十分 特别 尤其 极 极其 相当 稍 稍微 略 挺 蛮 好 都 也 又 还 就 才 再 已 已经 曾 曾经 正 正在 将要 刚 刚刚 刚才 马上 立即
立刻 常常 经常 总是 一直 始终 从来 往往 不断 不 别 莫 勿 未 不是 不能 不会 不要 不用 没能 一 一个 一些 一下 一点 一种
一样 一起 一般 一边 每 每个 各 各个 各种 所有 全部 任何 某 某个 等 等等 啊啊 之类 的话 来说 来讲 而言 看来 其实 其中
确实 实在 真的 真是 当然 当时 现在 目前 今天 昨天 明天 时候 以后 以前 之后 之前 后来 上 下 里 中 内 外 前 后 间
请问 请 谢谢 感谢 麻烦 希望 恳请 烦请 您好 你好 领导 尊敬 亲爱 各位 敬请 请求 诚恳 万分 非常感谢 谢谢您
尽快 按照 依照 竟然 仍然 仅仅 可见 来看 出来 起来 出去 较多 大多 偶尔 据悉 多多 据说 从此 并非 不得不 之所以
所 所以说 即 即便 便 则 且 乃 因 故 及其 以便 以免 以至 以至于 从而 进而 总之 总的来说 首先 其次 再次 最后 同时
`

export const STOP_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter((w) => w !== ''))
