<#-- To the representatives: why a unit's mail was quarantined (docs/contract.md §2). -->
下列邮件未被采用，已移入邮箱文件夹“${folder}”，案件未作任何改动。
The mail below was not used and was moved to the folder "${folder}"; nothing was changed in any case.

原因 Reasons
<#list reasons as r>
- [${r.code}] ${r.zh}
  ${r.en}
</#list>

邮件 Mail
  发件人 From: ${sender}
  主题 Subject: ${subject}
  Message-ID: ${messageId}
  收到时间 Received: ${receivedAt}（北京时间 Beijing time）
<#if caseNo??>
  案件 Case: ${caseNo}<#if taskNo??> T${taskNo}</#if>
</#if>

请联系发件单位按交办邮件重新答复，或在案件页面处理。
Please ask the sending unit to reply again to the hand-off mail, or act on the case page.
