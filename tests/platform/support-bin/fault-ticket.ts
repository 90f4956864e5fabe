/** The ticket a fault test files as number i: a unique title and content that must arrive exactly as sent. */
export function faultTicket(i: number) {
  return {
    type: 'complaint',
    categoryId: '04.01.01',
    area: { district: '玉州区', town: '名山街道' },
    address: `玉州区名山街道人民路${i}号`,
    title: `故障测试-${i}`,
    content: `第 ${i} 张：断网、拒绝服务与强杀进程下的工单，内容须完整 <script>alert(1)</script>'; DROP TABLE tickets;-- 𠀀㐀𪚥`,
    citizen: { name: '故障测试市民', phone: '13966660000' },
    handlingMode: 'dispatch',
    dispatch: { departments: [{ departmentId: 'scjgj', role: 'lead' }], deadline: new Date(Date.now() + 7 * 86400_000).toISOString() }
  }
}

/** The intake form of the ticket a fault test files through the workbench as number i (短信告知 left ticked). */
export function workbenchTicket(i: number) {
  return {
    callerNumber: '13966661234',
    contactName: '派生测试市民',
    ticketType: 'complaint',
    categoryPath: ['04', '04.01', '04.01.01'],
    content: `派生测试-${i}：人民路${i}号门前路灯不亮，夜间出行不便 𠀀㐀`,
    areaPath: ['玉州区', '名山街道'],
    address: `玉州区名山街道人民路${i}号`,
    urgency: 'normal',
    handling: 'dispatch',
    leadDepartment: 'scjgj',
    coDepartments: [],
    smsReceipt: true
  }
}
