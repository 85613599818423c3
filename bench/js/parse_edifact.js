// bench/js/parse_edifact.js — JavaScript baseline for bench/parse_throughput.sh: parses a
// PAXLST stream from bench/gen_paxlst with the npm package `edifact` (tdecaluwe/node-edifact)
// into segments and traveller records and prints one JSON line of counts and MB/s.
// Also exports the interchange splitter and record builder shared with parse_ts_edifact.js.
//
// usage: node parse_edifact.js FILE [--split-only]
//
// The library's Parser reads one interchange per parser (a UNA is only recognised at the start,
// and end() closes "the EDI interchange"), and it rejects the Type-B header lines that precede
// the `UNA:(.) -` interchanges. So the stream is cut at UNZ segments and every interchange is fed
// to a fresh Parser; Type-B header lines (a few dozen bytes per such interchange) are skipped and
// counted. Reading, decoding, splitting and parsing are all inside the timed region.
'use strict';

const fs = require('fs');
const path = require('path');

const CHUNK = 64 * 1024 * 1024;

// Yields each interchange of the file as a string, from its UNA (or UNB) to the end of its UNZ
// segment. stats.fed counts the bytes yielded, stats.skipped the bytes between interchanges
// (line breaks and Type-B header lines).
function* interchanges(file, stats) {
    const fd = fs.openSync(file, 'r');
    const raw = Buffer.allocUnsafe(CHUNK);
    let buf = '';
    let pos = 0;
    let eof = false;
    try {
        for (;;) {
            const r = scanUnit(buf, pos, eof);
            if (r === null) {
                if (eof) throw new Error('truncated interchange at byte ' + (stats.fed + stats.skipped));
                const n = fs.readSync(fd, raw, 0, CHUNK, null);
                if (n === 0) eof = true;
                buf = buf.slice(pos) + raw.latin1Slice(0, n);
                pos = 0;
                continue;
            }
            if (r.end === pos) return; // end of input
            if (r.interchange) {
                stats.fed += r.end - pos;
                yield buf.slice(pos, r.end);
            } else {
                stats.skipped += r.end - pos;
            }
            pos = r.end;
        }
    } finally {
        fs.closeSync(fd);
    }
}

// Finds the unit starting at buf[pos]: a run of line breaks, a Type-B header line or a whole
// interchange. Returns { end, interchange } or null if more input is needed.
function scanUnit(buf, pos, eof) {
    const len = buf.length;
    if (pos === len) return eof ? { end: pos, interchange: false } : null;
    let c = buf.charCodeAt(pos);
    if (c === 10 || c === 13) {
        let i = pos;
        while (i < len && ((c = buf.charCodeAt(i)) === 10 || c === 13)) i++;
        return i < len || eof ? { end: i, interchange: false } : null;
    }
    if (len - pos < 9 && !eof) return null;
    if (!buf.startsWith('UNA', pos) && !buf.startsWith('UNB', pos)) {
        const nl = buf.indexOf('\n', pos);
        return nl < 0 ? null : { end: nl + 1, interchange: false };
    }
    let des = '+', rel = '?', term = "'";
    if (buf.startsWith('UNA', pos)) {
        des = buf[pos + 4];
        rel = buf[pos + 6];
        term = buf[pos + 8];
    }
    const unz = 'UNZ' + des;
    for (let from = pos + 9; ;) {
        const at = buf.indexOf(unz, from);
        if (at < 0) return null;
        from = at + 1;
        if (!segmentStart(buf, at, pos, rel, term)) continue;
        const close = findTerminator(buf, at + 4, rel, term);
        return close < 0 ? null : { end: close + 1, interchange: true };
    }
}

// True if buf[at] begins a segment: preceded (after any CR/LF) by an unreleased terminator.
function segmentStart(buf, at, begin, rel, term) {
    let i = at - 1;
    while (i >= begin && (buf[i] === '\n' || buf[i] === '\r')) i--;
    if (i < begin || buf[i] !== term) return false;
    let n = 0;
    while (i - 1 - n >= begin && buf[i - 1 - n] === rel) n++;
    return n % 2 === 0;
}

// Index of the next unreleased segment terminator at or after i, or -1.
function findTerminator(buf, i, rel, term) {
    for (; i < buf.length; i++) {
        const c = buf[i];
        if (c === rel) i++;
        else if (c === term) return i;
    }
    return -1;
}

// Turns segment events into traveller records (NAD+FL/FM with ATT, DTM, NAT, DOC, ...).
class RecordBuilder {
    constructor() {
        this.segments = 0;
        this.travellers = 0;
        this.documents = 0;
        this.name = '';
        this.elements = null;
        this.components = null;
        this.current = null;
    }
    open(name) {
        this.name = name;
        this.elements = [];
    }
    element() {
        this.components = [];
        this.elements.push(this.components);
    }
    component(value) {
        this.components.push(value);
    }
    close() {
        this.segments++;
        const e = this.elements;
        switch (this.name) {
        case 'NAD': {
            const q = e[0] && e[0][0];
            if (q === 'FL' || q === 'FM' || q === 'DDT' || q === 'DDU') {
                const n = e[3] || [];
                this.current = {
                    role: q, surname: n[0] || '', given: n[1] || '', middle: n[2] || '',
                    sex: '', birth: '', nationality: '', docs: [],
                };
                this.travellers++;
            } else {
                this.current = null;
            }
            break;
        }
        case 'ATT':
            if (this.current && e[2]) this.current.sex = e[2][0];
            break;
        case 'DTM':
            if (this.current && e[0]) {
                if (e[0][0] === '329') this.current.birth = e[0][1];
                else if (e[0][0] === '36' && this.current.docs.length)
                    this.current.docs[this.current.docs.length - 1].expiry = e[0][1];
            }
            break;
        case 'NAT':
            if (this.current && e[1]) this.current.nationality = e[1][0];
            break;
        case 'DOC':
            if (this.current && e[0]) {
                this.current.docs.push({ type: e[0][0], number: e[1] ? e[1][0] : '', expiry: '' });
                this.documents++;
            }
            break;
        case 'CNT':
        case 'UNT':
            this.current = null;
            break;
        }
    }
}

function libVersion(name) {
    try {
        return require(path.join(name, 'package.json')).version;
    } catch (e) {
        return 'unknown';
    }
}

// Runs parseOne(text, builder) over every interchange of file and prints the JSON report.
function run(library, file, parseOne, splitOnly) {
    const bytes = fs.statSync(file).size;
    const stats = { skipped: 0, fed: 0 };
    const rb = new RecordBuilder();
    let count = 0;
    const t0 = process.hrtime.bigint();
    for (const text of interchanges(file, stats)) {
        count++;
        if (!splitOnly) parseOne(text, rb);
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const out = {
        library: library + (splitOnly ? ' (split only)' : ''),
        version: libVersion(library),
        node: process.version,
        file: path.basename(file),
        bytes,
        fed_bytes: stats.fed,
        skipped_bytes: stats.skipped,
        interchanges: count,
        segments: rb.segments,
        travellers: rb.travellers,
        documents: rb.documents,
        seconds: Number(seconds.toFixed(3)),
        mb_per_s: Number((bytes / 1e6 / seconds).toFixed(1)),
        mode: 'one parser per interchange (stream split at UNZ); Type-B header lines and line ' +
            'breaks between interchanges not fed (skipped_bytes)',
    };
    process.stdout.write(JSON.stringify(out) + '\n');
}

module.exports = { interchanges, RecordBuilder, run };

if (require.main === module) {
    const args = process.argv.slice(2);
    const file = args.find((a) => !a.startsWith('--'));
    if (!file) {
        process.stderr.write('usage: node parse_edifact.js FILE [--split-only]\n');
        process.exit(2);
    }
    const Parser = require('edifact/parser.js');
    run('edifact', file, (text, rb) => {
        const p = new Parser();
        p.onopensegment = (name) => rb.open(name);
        p.onelement = () => rb.element();
        p.oncomponent = (value) => rb.component(value);
        p.onclosesegment = () => rb.close();
        p.write(text);
        p.end();
    }, args.includes('--split-only'));
}
