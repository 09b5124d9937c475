package dev.faxlan.protocol.message;

import java.util.List;

/** {@code cover.list}, {@code cover.get} and {@code cover.put}. */
public sealed interface CoverMessage {
    record ListCovers() implements CoverMessage, CpiRequest<Covers> {}

    record Covers(List<Cover> covers) implements CoverMessage {}

    /** {@code kind}: built-in, shared or own. */
    record Cover(String name, String kind, @MayBeAbsent Long updated) {}

    record GetCover(String name) implements CoverMessage, CpiRequest<Source> {}

    record Source(String name, String source) implements CoverMessage {}

    /** {@code shared}: for everyone, administrators only. */
    record PutCover(String name, String source, @MayBeAbsent Boolean shared) implements CoverMessage, CpiRequest<Stored> {}

    record Stored(String name, String kind) implements CoverMessage {}
}
