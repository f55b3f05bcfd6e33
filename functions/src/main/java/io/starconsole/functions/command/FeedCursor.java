package io.starconsole.functions.command;

import com.fasterxml.jackson.annotation.JsonValue;
import io.starconsole.functions.error.ApiException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an edge is in the wake-up feed: the deliveries whose enqueuing transactions had committed
 * when the feed last answered it are reported; the feed reports those committed since. A delivery id
 * cannot serve: ids are taken at insert and transactions commit in another order, so a cursor "up to
 * id 11" passes over an id 10 whose transaction commits later (see V8).
 *
 * <p>{@code reported} is a PostgreSQL snapshot ({@code pg_snapshot} text, {@code xmin:xmax:xip,...});
 * null before the first answer (everything queued is new). An answer is at most
 * {@link CommandQueue#FEED_PAGE} rows; when there were more, the next pages are those visible in the
 * snapshot {@code upTo} that the first page was read in, after delivery id {@code afterId}, and
 * {@code upTo} becomes {@code reported} once a page comes back short. The text form is opaque to the
 * edge: {@code reported;upTo;afterId}, empty for absent parts; the empty text is the start.
 */
public record FeedCursor(String reported, String upTo, long afterId) {

    public static final FeedCursor START = new FeedCursor(null, null, 0);

    /** Long enough for the snapshot of a database with thousands of transactions running at once. */
    static final int MAX_TEXT = 65_536;
    private static final Pattern FORM = Pattern.compile("([0-9:,]*);([0-9:,]*);([0-9]{1,18})");
    private static final Pattern SNAPSHOT = Pattern.compile("([0-9]{1,18}):([0-9]{1,18}):((?:[0-9]{1,18},)*[0-9]{1,18})?");

    /** The edge's cursor as it sent it: absent or empty for the start; anything else not this feed's refused. */
    public static FeedCursor parse(String text) {
        if (text == null || text.isEmpty()) {
            return START;
        }
        Matcher form = text.length() > MAX_TEXT ? null : FORM.matcher(text);
        if (form == null || !form.matches()) {
            throw refused();
        }
        String reported = snapshotOrNull(form.group(1));
        String upTo = snapshotOrNull(form.group(2));
        long afterId = Long.parseLong(form.group(3));
        if (upTo == null && afterId != 0) {
            throw refused(); // an id only pages within a snapshot
        }
        return new FeedCursor(reported, upTo, afterId);
    }

    /**
     * The cursor after an answer read in snapshot {@code now}: the next page after {@code lastId}
     * when the answer was a full page, else past everything this series of pages was read in.
     */
    FeedCursor next(String now, boolean fullPage, long lastId) {
        String pagedIn = upTo != null ? upTo : now;
        return fullPage ? new FeedCursor(reported, pagedIn, lastId) : new FeedCursor(pagedIn, null, 0);
    }

    @JsonValue
    public String text() {
        return (reported == null ? "" : reported) + ";" + (upTo == null ? "" : upTo) + ";" + afterId;
    }

    /**
     * Checks a snapshot the way PostgreSQL reads one (xmin at least 1 and at most xmax, each running
     * transaction from xmin up to xmax, in order), so a forged cursor is a 400 and not a database error.
     */
    private static String snapshotOrNull(String text) {
        if (text.isEmpty()) {
            return null;
        }
        Matcher snapshot = SNAPSHOT.matcher(text);
        if (!snapshot.matches()) {
            throw refused();
        }
        long xmin = Long.parseLong(snapshot.group(1));
        long xmax = Long.parseLong(snapshot.group(2));
        if (xmin < 1 || xmin > xmax) {
            throw refused();
        }
        if (snapshot.group(3) != null) {
            long last = xmin;
            for (String running : snapshot.group(3).split(",")) {
                long xid = Long.parseLong(running);
                if (xid < last || xid >= xmax) {
                    throw refused();
                }
                last = xid;
            }
        }
        return text;
    }

    private static ApiException refused() {
        return ApiException.badField("after", "after must be empty (the start) or a cursor this call returned");
    }
}
