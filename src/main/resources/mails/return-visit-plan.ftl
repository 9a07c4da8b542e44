<#-- To a supply station: its month's return-visit plan (docs/contract.md §2); the reply template is read back by ReturnVisitReplyGrammar. -->
${station} 供电所：

附件为 ${month} 辖区内送电客户的回访计划（PDF 与 CSV），请于 ${due} 前完成回访并回复本邮件，保留主题中的编号 ${token}。
Attached is the return-visit plan of ${month} (PDF and CSV). Please visit the customers and reply by ${due}, keeping ${token} in the subject.

每户一行 One line per case:  案件编号: 满意度 说明 / case no: satisfaction note
满意度 Satisfaction: 满意 SATISFIED, 一般 NEUTRAL, 不满意 DISSATISFIED, 未联系上 UNREACHABLE

----- 回复模板 Reply template -----
<#list cases as c>
${c.caseNo}:${" "}
</#list>
----- 模板结束 End of template -----

<#list cases as c>
  ${c.caseNo}  ${c.customerName}  ${c.contactName}  ${c.phone}
</#list>
