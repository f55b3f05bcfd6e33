package io.starconsole.edge.relay;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class IsoInstantsTest {

    @Test
    void writesWhatIsoInstantWrites_forFractionsOfEveryLength_acrossSeconds() {
        IsoInstants times = new IsoInstants();
        SplittableRandom random = new SplittableRandom(7);
        Instant start = Instant.parse("2026-12-31T23:59:58Z");
        for (int i = 0; i < 20_000; i++) {
            long nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000L;
                case 2 -> random.nextInt(1_000_000) * 1_000L;
                default -> random.nextInt(1_000_000_000);
            };
            Instant at = start.plusSeconds(random.nextInt(4)).plusNanos(nanos);
            assertThat(times.format(at)).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(at));
        }
    }

    @Test
    void farInstants_asIsoInstant() {
        IsoInstants times = new IsoInstants();
        for (Instant at : new Instant[] {Instant.EPOCH, Instant.ofEpochSecond(-1, 5), Instant.parse("1969-12-31T23:59:59.000001Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.ofEpochSecond(253402300800L, 120_000_000)}) {
            assertThat(times.format(at)).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(at));
        }
    }
}
