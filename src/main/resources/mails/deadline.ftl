<#-- To a responsible unit and to the representatives: a deadline near (warning) or passed (missed). -->
<#if missed>
下列环节已超过时限，请尽快办理；超期将计入经济责任制考核。
The deadline below has passed; please act at once (the overrun is charged).
<#else>
下列环节即将到期，请在期限前办理。
The deadline below is near; please act before it.
</#if>

  案件编号 Case no.: ${caseNo}
  环节 Node: ${nodeZh} / ${node}
  期限 Due: ${due}（北京时间 Beijing time）
<#if missed>
  已超期 Overrun: ${overrunDays} 天 day(s)
</#if>
  待办单位 Units owing an answer: ${units?join(", ")}
<#if open?has_content>

待答复任务 Open tasks (reply to their hand-off mail, keeping the token):
<#list open as task>
  ${task.token} ${task.titleZh} / ${task.titleEn} — ${task.unit}
</#list>
</#if>
