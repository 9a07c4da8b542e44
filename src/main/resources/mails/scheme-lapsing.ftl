<#-- To the representatives: a scheme whose design has not gone to review lapses soon (docs/domain.md, 方案有效期). -->
下列案件的供电方案即将到期。受电工程设计尚未报审；逾期未办理的，方案失效，须重新出具供电方案。请联系客户。
The supply scheme of the case below lapses soon. Its design has not been submitted for review; if it is not by the
last valid day, the scheme lapses and a new scheme is asked of the units. Please contact the customer.

  案件编号 Case no.: ${caseNo}
  方案通知日 Notified on: ${notifiedOn}
  有效期至 Valid until: ${validUntil}（含当日 inclusive）
