<#-- To the representatives: the month's return visits of every station. -->
附件为 ${month} 各供电所回访情况汇总（PDF 与 CSV）。
Attached is the return-visit summary of ${month} (PDF and CSV).

<#list stations as l>
  ${l.station}: ${l.visited}/${l.planned} visited, ${l.reportStatus}
</#list>
