import type { ReportOutline } from '../reports/credit-report.outline';
import { BulletinContent, OVERDUE_WEIGHT } from './bulletin.model';

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/** The period's name in Chinese: 2026年11月, 2026年第四季度. */
export function periodName(content: Pick<BulletinContent, 'period'>): string {
  const { label, kind } = content.period;
  const [year, part] = label.split('-');
  return kind === 'month' ? `${year}年${Number(part)}月` : `${year}年第${'一二三四'[Number(part.slice(1)) - 1]}季度`;
}

/** The bulletin as the HTML and PDF renderings lay it out, in Chinese (the credit report's renderers draw it). */
export function bulletinOutline(content: BulletinContent, meta: { number: string; issuedAt: Date; issuedBy: string }): ReportOutline {
  const t = content.totals;
  const names = new Map(content.lines.map((l) => [l.department.code, l.department.name.zh]));
  const nameOf = (code: string) => names.get(code) ?? code;
  return {
    title: '社会信用体系建设情况通报',
    subtitle: `${periodName(content)}通报　${meta.number}`,
    header: [
      ['通报期间', `${content.period.from} 至 ${content.period.to}`],
      ['统计截至', content.asOf],
      ['发布', meta.issuedBy === 'schedule' ? '信用办（定期通报）' : '信用办'],
      ['签发时间', meta.issuedAt.toISOString()],
    ],
    sections: [
      {
        title: '一、总体情况',
        empty: '无',
        items: [
          {
            heading: '本期数据',
            fields: [
              ['归集信用信息', `${t.events} 条，其中按时报送 ${t.onTime} 条（${percent(t.events === 0 ? null : t.onTime / t.events)}；时限为作出决定后 ${content.publicationDeadlineWorkingDays} 个工作日）`],
              ['联合奖惩措施', `${t.tasks} 项，已反馈 ${t.withFeedback} 项（${percent(t.tasks === 0 ? null : t.withFeedback / t.tasks)}），逾期未反馈 ${t.overdue} 项`],
              ['信用修复', `${t.repairs} 件`],
              ['异议申诉', `${t.objections} 件`],
              ['新增严重失信主体名单', `${t.blacklisted} 条`],
            ],
          },
        ],
      },
      {
        title: '二、各部门信息报送及措施反馈情况排名',
        empty: '本期无部门数据',
        items: content.lines.map((l) => ({
          heading: `${l.rank === null ? '未排名' : `第 ${l.rank} 名`}　${l.department.name.zh}`,
          fields: [
            ['报送信用信息', `${l.events} 条，按时 ${l.onTime} 条（${percent(l.onTimeRate)}）`],
            ['接收措施任务', `${l.tasks} 项，已反馈 ${l.withFeedback} 项（${percent(l.feedbackRate)}）`],
            ['逾期未反馈', `本期 ${l.overdue} 项；累计 ${l.overdueBacklog} 项`],
            ['综合得分', l.score === null ? '本期无可评价事项' : l.score.toFixed(4)],
          ],
        })),
      },
      {
        title: '三、信用修复与异议处理情况',
        empty: '本期无信用修复、移出或异议',
        items: content.lifecycle.map((x) => ({
          heading: nameOf(x.department),
          fields: [
            ['信用修复', `已修复 ${x.repairs.applied} 件，不予修复 ${x.repairs.refused} 件，无可修复记录 ${x.repairs.noEffect} 件`],
            ['移出名单', `已移出 ${x.removals.applied} 件，不予移出 ${x.removals.refused} 件，无可移出记录 ${x.removals.noEffect} 件`],
            ['异议', `受理 ${x.objections.filed} 件；办结维持 ${x.objections.confirmed} 件，撤销 ${x.objections.revoked} 件`],
          ],
        })),
      },
      {
        title: '四、重大失信事件',
        empty: '本期无新增严重失信主体名单',
        items: content.majorListings.map((m) => ({
          heading: `${m.memorandum}（${m.listCode}）`,
          fields: [
            ['认定部门', nameOf(m.identifyingDepartment)],
            ['新增名单', `${m.entries} 条，涉及主体 ${m.subjects} 个`],
          ],
        })),
      },
    ],
    footer: [
      `排名说明：综合得分为按时报送率与措施反馈率（有则计）的平均值，减去逾期未反馈占比的 ${OVERDUE_WEIGHT} 倍；同分者逾期少者在前。无报送、无任务的部门不排名。`,
      '本通报由社会信用联合奖惩系统根据各部门报送数据自动生成，各部门可在数据推送（bulletin.issued）中查看本部门情况。',
    ],
  };
}
