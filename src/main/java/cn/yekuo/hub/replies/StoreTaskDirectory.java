package cn.yekuo.hub.replies;

import cn.yekuo.hub.mailtransport.MailDirectory;
import cn.yekuo.hub.tokens.TokenCutover;
import java.util.Optional;

import org.springframework.stereotype.Component;

import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.process.CaseTasks;

/** {@link TaskDirectory} over the case store's task rows and the configured allow-lists. */
@Component
public class StoreTaskDirectory implements TaskDirectory {

    private final CaseTasks tasks;
    private final MailDirectory directory;
    private final TokenCutover cutover;

    public StoreTaskDirectory(CaseTasks tasks, MailDirectory directory, TokenCutover cutover) {
        this.tasks = tasks;
        this.directory = directory;
        this.cutover = cutover;
    }

    @Override
    public Optional<AddressedTask> task(String caseNo, int taskNo) {
        return tasks.find(caseNo, taskNo).map(row -> {
            Unit unit = Unit.fromCode(row.unit());
            return new AddressedTask(row.kind(), row.isOpen(), directory.allowListOf(unit), unit.chinese());
        });
    }

    @Override
    public boolean acceptsLegacyToken(String caseNo, int taskNo) {
        return cutover.legacyTaskToken(caseNo, taskNo);
    }
}
