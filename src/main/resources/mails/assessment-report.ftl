<#-- To the assessment office and the representatives: the month's time-limit assessment. -->
${month} 业扩报装时限考核报告见附件（PDF 与 CSV）：超时限 ${overruns} 次，未按要求配合 ${nonCooperation} 次，扣分合计 ${deduction}，全环节达标率 ${allOnTime}。
The time-limit assessment of ${month} is attached (PDF and CSV): ${overruns} overrun(s), ${nonCooperation} unit(s) not cooperating as asked, ${deduction} point(s) deducted, all nodes on time in ${allOnTime} of the cases energized.
