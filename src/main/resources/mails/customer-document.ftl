<#-- To the customer: the mail that carries a document (docs/contract.md §3). -->
${greeting}：

您好！您的用电业务（业扩报装编号 ${caseNo}）的《${title}》（文书编号 ${documentNo}<#if version gt 1>，第${version}版，更正前的版本作废</#if>）见附件，请查阅并妥善保存。

办理进度、当前环节及全部文书可随时在线查看（无需登录，请勿转发）：
${statusLink}

如有疑问，请联系您的客户代表${repName}<#if repPhone??>，电话 ${repPhone}</#if><#if repEmail??>，邮箱 ${repEmail}</#if>；或拨打供电服务热线 ${hotline}。

${companyName}
（本邮件由系统自动发送，回复将转至您的客户代表。）
