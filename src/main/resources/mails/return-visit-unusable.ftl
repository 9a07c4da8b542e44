<#-- To the representatives: lines of a station's return-visit reply that were not used. -->
${station} 供电所的回访结果已采用 ${recorded} 行，下列各行未被采用，请与供电所核实。
${recorded} line(s) of the reply of station ${station} were recorded; the lines below were not used, please follow them up.

<#list unusable as u>
- ${u.line}
  ${u.reasonZh} / ${u.reasonEn}
</#list>

邮件 Mail
  发件人 From: ${sender}
  主题 Subject: ${subject}
