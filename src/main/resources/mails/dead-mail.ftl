<#-- To the representatives: a mail the relay gave up on (docs/contract.md §6.6). -->
<#if refused>
收件服务器拒收了这封邮件（永久性错误），系统不再重发。
The receiving server refused this mail for good; the hub will not send it again.
<#else>
这封邮件多次发送失败（${attempts} 次），系统不再重发。
This mail failed ${attempts} times; the hub will not send it again.
</#if>

邮件 Mail
  收件人 To: ${to}
  类型 Kind: ${kind}
  主题 Subject: ${subject}
  Message-ID: ${messageId}
<#if caseNo??>
  案件 Case: ${caseNo}<#if task??> ${task}</#if>
</#if>
  尝试次数 Attempts: ${attempts}
  原因 Reason: ${reason}

请核对收件地址（单位地址见 yk.mail.units.<code>.address，客户邮箱见案件），改正后由客户代表重新发送或转交。
Check the recipient's address (units: yk.mail.units.<code>.address; customers: the case), then resend or pass the matter on by hand.
