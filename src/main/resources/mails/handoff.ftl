<#-- The hand-off mail's text (docs/contract.md §2). The reply template lines and the "How to reply" lines are part of the contract. -->
${subject}

案件概要 Case summary
  案件编号 Case no.: ${caseNo}
  任务 Task: T${taskNo} ${titleZh} / ${titleEn}
  客户 Customer: ${customer}
<#list summary as key, value>
  ${key}: ${value}
</#list>

请办理 What is asked
<#list ask as line>
  ${line}
</#list>

答复期限 Due: ${due}

答复方法 How to reply
  请直接回复本邮件并保留主题中的编号 ${token}，在正文开头逐行填写下列各项（键可用中文或英文，冒号“:”或“：”均可）。
  Reply to this mail keeping ${token} in the subject, and write one "key: value" line per item at the top of your reply.

----- 答复模板 Reply template -----
<#list template as line>
${line}
</#list>
----- 模板结束 End of template -----
<#list hints as hint>
${hint}
</#list>
