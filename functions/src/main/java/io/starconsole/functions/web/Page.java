package io.starconsole.functions.web;

import io.starconsole.functions.error.ApiException;

import java.util.List;

/** One page of a list: {@code {"items": [...], "total", "page", "size"}}; pages count from 0. */
public record Page<T>(List<T> items, long total, int page, int size) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;

    /** Checked paging parameters. */
    public record Request(int page, int size) {
        public long offset() {
            return (long) page * size;
        }
    }

    public static Request request(Integer page, Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? DEFAULT_SIZE : size;
        if (p < 0) {
            throw ApiException.badField("page", "page counts from 0");
        }
        if (s < 1 || s > MAX_SIZE) {
            throw ApiException.badField("size", "size must be between 1 and " + MAX_SIZE);
        }
        return new Request(p, s);
    }
}
