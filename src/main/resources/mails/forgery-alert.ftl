<#-- To the representatives: one alert per burst of mails quarantined for forged or several tokens from one sender. -->
发件人 ${sender} 在 ${hours} 小时内有 ${count} 封邮件因任务编号校验失败（或含多个编号）被隔离，可能有人在猜测任务编号。这些邮件均未改动任何案件，已移入邮箱文件夹“Quarantine”。请核实该发件人，必要时在邮件服务器上拦截。
The sender ${sender} had ${count} mails quarantined for forged (or several) task tokens within ${hours} hours: someone may be guessing tokens. None of them changed any case; they are in the Quarantine folder. Please check the sender and block it at the mail server if needed.

时间 Time: ${at}（北京时间 Beijing time）
此提醒在 ${hours} 小时内对同一发件人只发一次，其间该发件人的此类邮件不再逐封通知。This alert is sent once per sender within ${hours} hours; meanwhile such mails from this sender get no notice of their own.
