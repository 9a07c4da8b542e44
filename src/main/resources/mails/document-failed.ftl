<#-- To the representatives: a customer document set aside after its attempts. -->
这份客户文件多次出具失败（${attempts} 次），系统不再重试。
This customer document failed ${attempts} times; the hub will not try it again.

  案件 Case: ${caseNo}
  文件 Document: ${type} (${what})
  请求 Request: ${request}
  尝试次数 Attempts: ${attempts}
  原因 Reason: ${reason}

请排除原因（见日志）后重新出具，或将文件另行交给客户。
Remove the cause (see the log), then have the document issued again or give it to the customer by hand.
