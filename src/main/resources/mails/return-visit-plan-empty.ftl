<#-- To a supply station whose area had no case energized in the month. -->
${station} 供电所：

${month} 辖区内没有送电的案件，本月无需回访，无需回复。
No case of your area was energized in ${month}: there is nothing to visit and nothing to report.
