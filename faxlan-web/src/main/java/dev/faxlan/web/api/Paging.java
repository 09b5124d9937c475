package dev.faxlan.web.api;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Cursor pagination of a list the fax server answers whole: the items in a fixed order of sort keys
 * (unique per item), a page of {@code limit} of them after the cursor, and the cursor of the next page
 * (the last item's sort key, opaque to clients), null on the last page. A cursor stays valid while
 * items come and go: the next page starts after the last key seen, not at a position.
 *
 * @param items this page's items
 * @param next the cursor of the next page, null when there is none
 */
public record Paging<T>(List<T> items, String next) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    private static final String VERSION = "c1:";

    /** The page of {@code all} that the request's {@code limit} and {@code cursor} ask for; {@code key} sorts ascending. */
    public static <T> Paging<T> of(Context ctx, List<T> all, Function<T, long[]> key) {
        int limit = limit(ctx.queryParam("limit"));
        long[] after = cursor(ctx.queryParam("cursor"));
        Comparator<long[]> order = Arrays::compare;
        List<T> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(key, order));
        List<T> page = new ArrayList<>();
        for (T item : sorted) {
            if (after != null && order.compare(key.apply(item), after) <= 0) continue;
            if (page.size() == limit) {
                return new Paging<>(page, encode(key.apply(page.get(page.size() - 1))));
            }
            page.add(item);
        }
        return new Paging<>(page, null);
    }

    static int limit(String value) {
        if (value == null) return DEFAULT_LIMIT;
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= MAX_LIMIT) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiProblem.badRequest("limit must be a number from 1 to " + MAX_LIMIT + ", not " + value);
    }

    static String encode(long[] key) {
        StringBuilder b = new StringBuilder(VERSION);
        for (int i = 0; i < key.length; i++) b.append(i == 0 ? "" : ",").append(key[i]);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    static long[] cursor(String value) {
        if (value == null) return null;
        try {
            String text = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
            if (!text.startsWith(VERSION)) throw new IllegalArgumentException();
            return Arrays.stream(text.substring(VERSION.length()).split(",")).mapToLong(Long::parseLong).toArray();
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("cursor is not one this API gave out: pass the next value of a previous page unchanged");
        }
    }
}
