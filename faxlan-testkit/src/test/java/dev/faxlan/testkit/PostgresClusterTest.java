package dev.faxlan.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresClusterTest {
    @TempDir
    Path tmp;

    @Test
    void startsStoresAndKeepsDataOverARestartAndACrash() throws Exception {
        try (PostgresCluster pg = PostgresCluster.start()) {
            String db = pg.createDatabase();
            assertThat(pg.createDatabase()).isNotEqualTo(db);
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(db), pg.user(), pg.password()); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t (v INT)");
                st.execute("INSERT INTO t VALUES (42)");
            }
            pg.restart();
            assertThat(count(pg, db)).isEqualTo(42);
            pg.crash();
            assertThat(pg.isRunning()).isFalse();
            assertThatThrownBy(() -> count(pg, db)).isInstanceOf(SQLException.class);
            pg.startAgain();
            assertThat(count(pg, db)).isEqualTo(42);
            assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(db), pg.user(), "wrong")).isInstanceOf(SQLException.class);
            Path pw = pg.writePasswordFile(tmp.resolve("pw"));
            assertThat(Files.readString(pw).strip()).isEqualTo(pg.password());
        }
    }

    private static int count(PostgresCluster pg, String db) throws SQLException {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(db), pg.user(), pg.password()); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT v FROM t")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
