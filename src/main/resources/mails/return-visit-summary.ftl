<#-- To the representatives: the month's return visits of every station. -->
附件为 ${month} 各供电所回访情况汇总（PDF 与 CSV）。
Attached is the return-visit summary of ${month} (PDF and CSV).

满意率 Satisfaction (满意 among those reached): ${satisfactionRate}

<#list stations as l>
  ${l.station}: ${l.visited}/${l.planned} visited, 满意率 ${l.satisfactionRate}, ${l.reportStatus}<#if l.planLate>, 计划逾期下发 plan sent late (${l.planSentOn})</#if>
</#list>

各客户代表 By representative:
<#list representatives as p>
  ${p.name}: ${p.visited} visited, 满意率 ${p.satisfactionRate}
</#list>
