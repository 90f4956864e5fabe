/**
 * The sandbox's three-level category tree (三级归口), written for the project.
 * Each level-3 node names its usual department and the kind of request it
 * covers, which the history generator turns into past tickets.
 */
export interface SeedLeaf {
  name: string
  department: string
  /** Sample requests in citizens' words; {地点} is filled with a place. */
  samples: string[]
}
export type SeedTree = [level1: string, [level2: string, SeedLeaf[]][]][]

export const CATEGORY_TREE: SeedTree = [
  ['城乡建设', [
    ['住房保障', [
      { name: '公租房申请', department: 'zjj', samples: ['想咨询公租房怎么申请，需要准备哪些材料，收入标准是多少。', '申请公租房已经轮候一年多了，一直没有消息，想了解进度。'] },
      { name: '保障房质量', department: 'zjj', samples: ['{地点}的保障房小区墙面渗水严重，反映多次没人处理。'] }
    ]],
    ['物业管理', [
      { name: '物业服务', department: 'zjj', samples: ['{地点}小区物业不作为，电梯坏了半个月没修，老人上下楼很困难。', '小区物业擅自提高物业费，没有经过业主大会同意。'] },
      { name: '商品房交付', department: 'zjj', samples: ['{地点}楼盘合同约定去年底交房，现在还没交，开发商一直拖延。', '买房三年了开发商一直不给办不动产证。'] }
    ]],
    ['建筑施工', [
      { name: '工程质量', department: 'zjj', samples: ['{地点}在建工地脚手架不牢固，经常有东西掉下来，存在安全隐患。'] }
    ]]
  ]],
  ['劳动和社会保障', [
    ['劳动关系', [
      { name: '拖欠工资', department: 'rsj', samples: ['我在{地点}一家工厂上班，老板拖欠三个月工资不发，多次讨要无果。', '工地包工头拖欠农民工工资，快过年了还拿不到钱。'] },
      { name: '劳动合同', department: 'rsj', samples: ['公司一直不和我们签劳动合同，也不买社保，想问怎么维权。'] }
    ]],
    ['社会保险', [
      { name: '养老保险', department: 'rsj', samples: ['想咨询灵活就业人员怎么缴纳养老保险，每年最低交多少。', '退休手续办完两个月了，养老金还没有发放。'] },
      { name: '失业保险', department: 'rsj', samples: ['被公司辞退了，想了解失业金怎么申领，能领多久。'] }
    ]],
    ['就业创业', [
      { name: '技能培训补贴', department: 'rsj', samples: ['参加了电工技能培训拿到证书，补贴申请交上去很久没到账。'] }
    ]]
  ]],
  ['教育', [
    ['招生入学', [
      { name: '义务教育入学', department: 'jyj', samples: ['孩子今年上小学，户口在{地点}但房子在别的片区，想问能不能就近入学。', '随迁子女入学需要哪些材料，居住证办了不到一年可以吗。'] }
    ]],
    ['教育收费', [
      { name: '学校乱收费', department: 'jyj', samples: ['{地点}某学校要求学生统一购买教辅资料，不买不行，家长负担很重。'] },
      { name: '校外培训退费', department: 'jyj', samples: ['给孩子报的培训班突然关门了，预交的学费一万多退不回来。'] }
    ]]
  ]],
  ['市场监管', [
    ['消费维权', [
      { name: '预付卡消费', department: 'scjgj', samples: ['在{地点}一家健身房办了年卡，现在店铺关门找不到人，要求退款。', '美容店办的储值卡，店家换了老板不认账。'] },
      { name: '商品质量', department: 'scjgj', samples: ['在商场买的电动车一个月电池就坏了，商家拒绝退换。'] }
    ]],
    ['食品安全', [
      { name: '餐饮卫生', department: 'scjgj', samples: ['{地点}一家粉店后厨卫生很差，吃完后肚子疼，怀疑食材不新鲜。', '超市在卖过期的牛奶，已经拍照留证。'] }
    ]],
    ['价格监管', [
      { name: '价格违法', department: 'scjgj', samples: ['{地点}农贸市场部分摊位不明码标价，结账时随意要价。'] }
    ]]
  ]],
  ['生态环境', [
    ['大气污染', [
      { name: '企业废气', department: 'sthjj', samples: ['{地点}附近工厂晚上偷偷排放废气，气味刺鼻，居民晚上不敢开窗。'] }
    ]],
    ['水污染', [
      { name: '污水排放', department: 'sthjj', samples: ['{地点}的养殖场把污水直接排进河里，河水发黑发臭。'] }
    ]],
    ['噪声污染', [
      { name: '施工噪声', department: 'sthjj', samples: ['{地点}工地每天晚上十一点后还在施工，噪音太大影响休息。'] }
    ]]
  ]],
  ['卫生健康', [
    ['医疗服务', [
      { name: '医疗服务投诉', department: 'wjw', samples: ['在{地点}的医院看病排队三个小时，医生看诊不到两分钟，态度冷淡。'] },
      { name: '预防接种', department: 'wjw', samples: ['想咨询孩子打疫苗需要预约吗，社区卫生服务中心什么时候可以接种。'] }
    ]]
  ]],
  ['交通运输', [
    ['城市客运', [
      { name: '公交服务', department: 'jtj', samples: ['{地点}方向的公交车经常不按时发车，等了四十分钟都没有车。', '公交司机开车太猛，急刹车导致老人摔倒。'] },
      { name: '出租车管理', department: 'jtj', samples: ['在火车站坐出租车，司机不打表还要价五十元。'] }
    ]],
    ['公路管理', [
      { name: '路面损坏', department: 'jtj', samples: ['{地点}通往村里的公路坑洼很多，下雨天积水，电动车经常摔倒。'] }
    ]]
  ]],
  ['公安管理', [
    ['户政管理', [
      { name: '户口办理', department: 'gaj', samples: ['想把户口从{地点}迁到玉林城区，需要什么手续。'] },
      { name: '身份证办理', department: 'gaj', samples: ['身份证丢了，在外地可以补办吗，要多久能拿到。'] }
    ]],
    ['治安管理', [
      { name: '生活噪声扰民', department: 'gaj', samples: ['{地点}小区楼下广场舞音响开得很大，晚上十点后还在跳。'] }
    ]]
  ]],
  ['城市管理', [
    ['市容环境', [
      { name: '占道经营', department: 'cgj', samples: ['{地点}路口流动摊贩占道经营，早晚高峰堵得走不动。'] },
      { name: '垃圾清运', department: 'cgj', samples: ['{地点}垃圾桶满了好几天没人清运，天气热臭气熏天。'] }
    ]],
    ['市政设施', [
      { name: '路灯井盖', department: 'cgj', samples: ['{地点}一段路的路灯坏了一个多月，晚上漆黑一片很危险。', '人行道上井盖缺失，已经有行人差点掉进去。'] }
    ]],
    ['违法建设', [
      { name: '违章搭建', department: 'cgj', samples: ['{地点}小区有业主在楼顶违章搭建铁皮房，影响楼上楼下安全。'] }
    ]]
  ]],
  ['水电气', [
    ['供水', [
      { name: '停水及水压', department: 'gsgs', samples: ['{地点}从昨天下午开始停水，没有接到任何通知。', '家里水压很低，楼上几层基本没有水。'] }
    ]],
    ['供电', [
      { name: '停电抢修', department: 'gdj', samples: ['{地点}一带突然停电，已经三个小时没有来电，冰箱里东西都坏了。'] },
      { name: '电费争议', department: 'gdj', samples: ['这个月电费比平时多了一倍，怀疑电表有问题。'] }
    ]]
  ]],
  ['国土资源', [
    ['不动产登记', [
      { name: '不动产证办理', department: 'zrzyj', samples: ['二手房过户需要准备哪些材料，在哪里办理，要多长时间。'] }
    ]],
    ['土地管理', [
      { name: '违法占地', department: 'zrzyj', samples: ['{地点}有人在基本农田上建房，村里多次劝阻无效。'] }
    ]]
  ]]
]
