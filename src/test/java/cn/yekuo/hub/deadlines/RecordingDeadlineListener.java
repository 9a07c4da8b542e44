package cn.yekuo.hub.deadlines;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/** Remembers the notices the watcher hands to listeners; present only with {@code yk.test.deadline-listener=recording}. */
@Component
@ConditionalOnProperty(name = "yk.test.deadline-listener", havingValue = "recording")
public class RecordingDeadlineListener implements DeadlineListener {

    final List<DeadlineNotice> warnings = new CopyOnWriteArrayList<>();
    final List<DeadlineNotice> misses = new CopyOnWriteArrayList<>();

    @Override
    public void warning(DeadlineNotice notice) {
        warnings.add(notice);
    }

    @Override
    public void missed(DeadlineNotice notice) {
        misses.add(notice);
    }

    List<DeadlineNotice> warningsOf(String caseNo) {
        return warnings.stream().filter(n -> n.caseNo().equals(caseNo)).toList();
    }

    List<DeadlineNotice> missesOf(String caseNo) {
        return misses.stream().filter(n -> n.caseNo().equals(caseNo)).toList();
    }
}
