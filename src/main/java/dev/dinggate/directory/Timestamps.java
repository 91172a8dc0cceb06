package dev.dinggate.directory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/** Instants as the mirror's {@code TIMESTAMP WITH TIME ZONE} columns hold them, the same on H2 and PostgreSQL. */
final class Timestamps {

    private Timestamps() {}

    /**
     * Both databases keep microseconds: an instant compared with a stored one is cut to them first, or a read
     * started a few nanoseconds later would count as older than the row it confirmed.
     */
    static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    static OffsetDateTime utc(Instant instant) {
        return micros(instant).atOffset(ZoneOffset.UTC);
    }

    static @Nullable Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
