package dev.dinggate.directory;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * The mirror in {@code /actuator/health} (not in readiness: a stale mirror still answers, and taking every replica
 * out of service would turn a stale directory into an outage). Stale shows as the status {@code STALE}, which
 * {@code management.endpoint.health.status.order} ranks between OUT_OF_SERVICE and UP.
 */
@Component("directory")
class DirectoryHealthIndicator implements HealthIndicator {

    static final Status STALE = new Status("STALE", "no full sync or event confirmed the directory mirror lately");

    private final MirrorStatus status;

    DirectoryHealthIndicator(MirrorStatus status) {
        this.status = status;
    }

    @Override
    public Health health() {
        DirectoryStatus now = status.status();
        Health.Builder health = DirectoryState.STALE.json().equals(now.state()) ? Health.status(STALE) : Health.up();
        return health.withDetail("state", now.state())
                .withDetail("users", now.users())
                .withDetail("departments", now.departments())
                .withDetail("streamConnected", now.streamConnected())
                .build();
    }
}
