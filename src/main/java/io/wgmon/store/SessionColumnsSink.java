package io.wgmon.store;

import java.io.IOException;
import java.sql.SQLException;

/** Takes a page's rows one at a time as the query reads them ({@link SessionColumns}). */
@FunctionalInterface
public interface SessionColumnsSink {
    void accept(SessionColumns row) throws SQLException, IOException;
}
