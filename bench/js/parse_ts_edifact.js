// bench/js/parse_ts_edifact.js — JavaScript baseline for bench/parse_throughput.sh: parses a
// PAXLST stream from bench/gen_paxlst with the npm package `ts-edifact` (RovoMe/ts-edifact)
// into segments and traveller records and prints one JSON line of counts and MB/s.
//
// usage: node parse_ts_edifact.js FILE
//
// Splitting, record building and the report are shared with parse_edifact.js (one parser per
// interchange, Type-B header lines not fed). Two ts-edifact specifics:
//  - the package's index requires `htmlparser2`, which it lists only as a devDependency, so the
//    Parser, Configuration and NullValidator classes are loaded from their lib/ modules (the
//    same classes the index re-exports);
//  - the Parser reads separators from a UNA but builds its tokenizer's character classes from
//    the Configuration before that, so `UNA:(.) -` interchanges would be mis-tokenized: each
//    parser is given the interchange's separators in its Configuration (the documented way to
//    set delimiters), taken from the UNA it is about to read. The NullValidator is used, as the
//    default validator logs one line per segment it has no definition for.
'use strict';

const { run } = require('./parse_edifact.js');

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
    process.stderr.write('usage: node parse_ts_edifact.js FILE\n');
    process.exit(2);
}

const { Parser } = require('ts-edifact/lib/parser');
const { Configuration } = require('ts-edifact/lib/configuration');
const { NullValidator } = require('ts-edifact/lib/validator');

const validator = new NullValidator();

run('ts-edifact', file, (text, rb) => {
    const config = { validator };
    if (text.startsWith('UNA')) {
        config.componentDataSeparator = text.charCodeAt(3);
        config.dataElementSeparator = text.charCodeAt(4);
        config.decimalMark = text.charCodeAt(5);
        config.releaseCharacter = text.charCodeAt(6);
        config.segmentTerminator = text.charCodeAt(8);
    }
    const p = new Parser(new Configuration(config));
    p.onOpenSegment = (name) => rb.open(name);
    p.onElement = () => rb.element();
    p.onComponent = (value) => rb.component(value);
    p.onCloseSegment = () => rb.close();
    p.write(text);
    p.end();
}, false);
