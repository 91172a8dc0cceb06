package dev.dinggate.directory;

import dev.dinggate.dingtalk.OperatorFacts;
import org.springframework.stereotype.Component;

/** The mirror's status under {@code directory} in {@code /actuator/dingtalk}. */
@Component
class DirectoryOperatorFacts implements OperatorFacts {

    private final MirrorStatus status;

    DirectoryOperatorFacts(MirrorStatus status) {
        this.status = status;
    }

    @Override
    public String name() {
        return "directory";
    }

    @Override
    public Object facts() {
        return status.status();
    }
}
