package io.wgmon.store;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A page's rows handed on in the API's order, newest start first and the later row first among equal starts,
 * from rows that come in start order only: each run of equal starts is held until the next start shows it is
 * whole, then handed on by row id, descending (at most twice the rows still wanted are held). Stops once
 * {@code rows} are handed on.
 */
final class NewestFirst {
    private static final Comparator<SessionColumns> LATER_ROW_FIRST =
            Comparator.comparingLong(SessionColumns::rowId).reversed();

    private final int rows;
    private final SessionColumnsSink sink;
    private final List<SessionColumns> sameStart = new ArrayList<>();
    private int handed;

    NewestFirst(int rows, SessionColumnsSink sink) {
        this.rows = rows;
        this.sink = sink;
    }

    /** Takes the next row in start order, newest first; false once no more is wanted. */
    boolean add(SessionColumns row) throws SQLException, IOException {
        if (!sameStart.isEmpty() && sameStart.get(0).startMillis() != row.startMillis()) {
            handOn();
        }
        if (handed >= rows) {
            return false;
        }
        sameStart.add(row);
        int wanted = rows - handed;
        if (sameStart.size() == 2 * wanted) {
            // a long run of equal starts: only its latest rows can be handed on, and memory stays bounded
            sameStart.sort(LATER_ROW_FIRST);
            sameStart.subList(wanted, sameStart.size()).clear();
        }
        return true;
    }

    /** Hands on the rows held: the query has no more. */
    void finish() throws SQLException, IOException {
        handOn();
    }

    private void handOn() throws SQLException, IOException {
        if (sameStart.size() > 1) {
            sameStart.sort(LATER_ROW_FIRST);
        }
        for (int i = 0; i < sameStart.size() && handed < rows; i++, handed++) {
            sink.accept(sameStart.get(i));
        }
        sameStart.clear();
    }
}
