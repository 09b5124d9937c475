/**
 * Signal processing shared by the image modems (V.27ter, V.29, V.17): the carrier at whole hertz on
 * the 8 kHz clock, root-raised-cosine pulse shaping, a modulator from symbols to line samples, a
 * matched-filter front end that samples the baseband at any instant (two samples per symbol), Gardner
 * symbol timing, a fractionally spaced LMS equaliser, a decision-directed carrier loop and the
 * self-synchronising scrambler. Complex values travel as (re, im) pairs of doubles in plain arrays:
 * nothing here allocates per sample.
 */
package dev.faxlan.modem.dsp;
