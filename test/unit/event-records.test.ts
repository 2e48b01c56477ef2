import { describe, expect, it } from 'vitest';
import { checkEventRecords, readEventRecords, validateEvent } from '../../src/platform/ops/events.js';

describe('readEventRecords', () => {
  it('splits a JSON array into elements at the lines they start on, whatever their strings hold', () => {
    const text = [
      '[',
      '  {"type": "a", "source": "s", "message": "a ] , { [ inside"},',
      '  {',
      '    "type": "b", "source": "s",',
      '    "message": "an escaped \\" quote, then ]",',
      '    "metadata": {"nested": [1, [2, {"x": "}"}]]}',
      '  },',
      '  {"type": "c", "source": "s"}]',
    ].join('\n');
    const { records, bad } = readEventRecords(text);
    expect(bad).toEqual([]);
    expect(records.map((r) => r.line)).toEqual([2, 3, 8]);
    expect(records.map((r) => (JSON.parse(r.text) as { type: string }).type)).toEqual(['a', 'b', 'c']);
  });

  it('reads NDJSON line by line, skipping blank lines', () => {
    const { records } = readEventRecords('{"a":1}\n\n  \n{"b":2}\n');
    expect(records).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 4, text: '{"b":2}' },
    ]);
  });

  it('reports an array that is never closed, and text after its end, keeping the elements it read', () => {
    const open = readEventRecords('[\n{"type":"a","source":"s"},\n{"type":"b"');
    expect(open.records.map((r) => r.line)).toEqual([2, 3]);
    expect(open.bad).toEqual([{ line: 3, message: 'the JSON array is not closed with ]' }]);
    const trailing = readEventRecords('[{"type":"a","source":"s"}]\nextra');
    expect(trailing.records).toHaveLength(1);
    expect(trailing.bad).toEqual([{ line: 1, message: 'unexpected text after the closing ]' }]);
  });
});

describe('validateEvent', () => {
  it('accepts both shapes and keeps unknown keys', () => {
    expect(validateEvent({ type: 't', source: 's', ref: 'VTID-0521' })).toEqual({
      ok: true,
      event: { type: 't', source: 's', ref: 'VTID-0521' },
    });
    expect(validateEvent({ event: 'e', service: 'svc', tenant: 'system', notes: 'n' }).ok).toBe(true);
  });

  it('names every missing or mistyped field, and the legacy shape when it applies', () => {
    expect(validateEvent({ source: 's', vtid: 7 })).toEqual({
      ok: false,
      message: "field 'type' is required; field 'vtid' must be a string",
    });
    expect(validateEvent({ event: 'e' })).toEqual({
      ok: false,
      message: "field 'service' is required (legacy shape)",
    });
    expect(validateEvent({ type: 't', source: 's', id: 'nope', created_at: 'soon' })).toEqual({
      ok: false,
      message:
        "field 'id' must be a UUID; field 'created_at' must be a timestamp such as 2026-01-31T10:00:00Z",
    });
    expect(validateEvent([1])).toEqual({
      ok: false,
      message: 'an event must be a JSON object, not an array',
    });
  });

  it('checkEventRecords sorts records into good and bad with their lines', () => {
    const { good, bad } = checkEventRecords([
      { line: 1, text: '{"type":"t","source":"s"}' },
      { line: 2, text: '{"type":' },
      { line: 5, text: '{"type":"t"}' },
    ]);
    expect(good.map((g) => g.line)).toEqual([1]);
    expect(bad.map((b) => b.line)).toEqual([2, 5]);
    expect(bad[0]?.message).toMatch(/^not valid JSON/);
    expect(bad[1]?.message).toBe("field 'source' is required");
  });
});
