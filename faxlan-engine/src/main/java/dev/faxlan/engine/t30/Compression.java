package dev.faxlan.engine.t30;

/** Page codings T.30 negotiates: MH and MR (T.4), MMR (T.6, only with ECM). */
public enum Compression { MH, MR, MMR }
