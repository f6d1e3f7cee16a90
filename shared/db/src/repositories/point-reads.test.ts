import { describe, expect, it } from 'vitest';
import { capabilitiesOf } from './point-reads.ts';

describe('capabilitiesOf (buildInfo → what the data layer may send)', () => {
  it.each([
    ['MongoDB (no FerretDB features)', { version: '7.0.14' }, { idIn: true, bulkUpdate: true }],
    [
      'the patched launcher',
      { ferretdbFeatures: { aggregationStages: [], paperwireIdIn: true, paperwireBulkUpdate: true } },
      { idIn: true, bulkUpdate: true },
    ],
    [
      'an unpatched FerretDB v1',
      { ferretdbFeatures: { aggregationStages: [] } },
      { idIn: false, bulkUpdate: false },
    ],
    [
      'a FerretDB with only the $in patch',
      { ferretdbFeatures: { paperwireIdIn: true } },
      { idIn: true, bulkUpdate: false },
    ],
    [
      'a feature flag that is not `true`',
      { ferretdbFeatures: { paperwireIdIn: 'yes' } },
      { idIn: false, bulkUpdate: false },
    ],
  ])('%s', (_name, info, expected) => {
    expect(capabilitiesOf(info as never)).toEqual(expected);
  });
});
