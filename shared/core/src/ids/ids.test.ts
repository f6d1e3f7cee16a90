import { describe, expect, it } from 'vitest';
import {
  arxivIdFromDoi,
  canonicalArxivId,
  canonicalDoi,
  canonicalOpenAlexId,
  canonicalOpenReviewId,
  canonicalS2Id,
  type ExtractedIds,
  extractIds,
  identityKeys,
  validateArxivId,
} from './index.ts';

describe('extractIds', () => {
  it.each<[string, ExtractedIds]>([
    // arxiv.org URLs
    ['https://arxiv.org/abs/2401.01234', { arxiv: '2401.01234' }],
    ['http://arxiv.org/abs/2401.01234v2', { arxiv: '2401.01234', arxivVersion: 2 }],
    ['https://www.arxiv.org/abs/2401.01234v3', { arxiv: '2401.01234', arxivVersion: 3 }],
    ['https://arxiv.org/pdf/2401.01234v2.pdf', { arxiv: '2401.01234', arxivVersion: 2 }],
    ['https://arxiv.org/pdf/2401.01234.pdf', { arxiv: '2401.01234' }],
    ['https://arxiv.org/pdf/2401.01234', { arxiv: '2401.01234' }],
    ['https://arxiv.org/html/2401.01234v1', { arxiv: '2401.01234', arxivVersion: 1 }],
    ['https://arxiv.org/html/2401.01234v1/#S2', { arxiv: '2401.01234', arxivVersion: 1 }],
    ['http://export.arxiv.org/abs/2401.01234', { arxiv: '2401.01234' }],
    ['https://arxiv.org/abs/2609.26811', { arxiv: '2609.26811' }],
    ['https://arxiv.org/abs/0704.0001', { arxiv: '0704.0001' }],
    ['https://arxiv.org/abs/1412.9999v1', { arxiv: '1412.9999', arxivVersion: 1 }],
    ['arxiv.org/abs/2401.01234', { arxiv: '2401.01234' }],
    ['https://arxiv.org/abs/2401.01234/', { arxiv: '2401.01234' }],
    ['https://arxiv.org/abs/2401.01234?context=cs', { arxiv: '2401.01234' }],
    ['https://arxiv.org/abs/2401.01234?utm_source=twitter&ref=hn', { arxiv: '2401.01234' }],
    ['https://arxiv.org/abs/2401.01234#comments', { arxiv: '2401.01234' }],
    ['HTTPS://ARXIV.ORG/ABS/2401.01234V2', { arxiv: '2401.01234', arxivVersion: 2 }],
    // old-style ids
    ['http://arxiv.org/abs/cond-mat/0412498v1', { arxiv: 'cond-mat/0412498', arxivVersion: 1 }],
    ['http://export.arxiv.org/abs/hep-th/9901001v2', { arxiv: 'hep-th/9901001', arxivVersion: 2 }],
    ['https://arxiv.org/pdf/hep-th/9901001v2.pdf', { arxiv: 'hep-th/9901001', arxivVersion: 2 }],
    ['https://arxiv.org/abs/math.GT/0309136', { arxiv: 'math/0309136' }],
    ['see hep-th/9901001v2 for details', { arxiv: 'hep-th/9901001', arxivVersion: 2 }],
    ['cond-mat/0412498v1', { arxiv: 'cond-mat/0412498', arxivVersion: 1 }],
    ['math.GT/0309136', { arxiv: 'math/0309136' }],
    ['arXiv:hep-th/9901001', { arxiv: 'hep-th/9901001' }],
    ['oai:arXiv.org:quant-ph/0201082v3', { arxiv: 'quant-ph/0201082', arxivVersion: 3 }],
    // prefixes
    ['arXiv:2609.26811v1', { arxiv: '2609.26811', arxivVersion: 1 }],
    ['arxiv:2401.01234', { arxiv: '2401.01234' }],
    ['ArXiv: 2401.01234', { arxiv: '2401.01234' }],
    ['oai:arXiv.org:2609.26811v1', { arxiv: '2609.26811', arxivVersion: 1 }],
    [
      'arXiv:2609.26811v1 Announce Type: new \nAbstract: Local learning trains each layer',
      { arxiv: '2609.26811', arxivVersion: 1 },
    ],
    [
      'Semi-Metrification of the Dynamic Time Warping Distance. (arXiv:1808.09964v1 [cs.LG])',
      { arxiv: '1808.09964', arxivVersion: 1 },
    ],
    ['Some title (arXiv:1301.1107v6 [cs.NA] UPDATED)', { arxiv: '1301.1107', arxivVersion: 6 }],
    // Hugging Face, alphaXiv, takara mirror
    ['https://huggingface.co/papers/2401.01234', { arxiv: '2401.01234', hf: '2401.01234' }],
    ['https://huggingface.co/papers/2606.00467#community', { arxiv: '2606.00467', hf: '2606.00467' }],
    ['https://hf.co/papers/2401.01234', { arxiv: '2401.01234', hf: '2401.01234' }],
    ['https://www.alphaxiv.org/abs/2401.01234', { arxiv: '2401.01234' }],
    ['https://alphaxiv.org/abs/2401.01234v2', { arxiv: '2401.01234', arxivVersion: 2 }],
    ['https://tldr.takara.ai/p/2604.21003', { arxiv: '2604.21003' }],
    // DOIs
    ['https://doi.org/10.1103/PhysRevB.71.184511', { doi: '10.1103/physrevb.71.184511' }],
    ['http://dx.doi.org/10.1142/S021797921244002X', { doi: '10.1142/s021797921244002x' }],
    ['doi:10.1000/xyz123', { doi: '10.1000/xyz123' }],
    ['DOI: 10.1000/xyz123.', { doi: '10.1000/xyz123' }],
    ['published as 10.1000/xyz123, see', { doi: '10.1000/xyz123' }],
    ['(doi:10.1016/S0140-6736(20)30183-5).', { doi: '10.1016/s0140-6736(20)30183-5' }],
    ['[10.1000/abc]', { doi: '10.1000/abc' }],
    ['https://doi.org/10.1000%2Fabc%28x%29', { doi: '10.1000/abc(x)' }],
    ['https://doi.org/10.1000/abc?utm_source=x', { doi: '10.1000/abc' }],
    ['https://dl.acm.org/doi/10.1145/3442188.3445922', { doi: '10.1145/3442188.3445922' }],
    ['https://dl.acm.org/doi/pdf/10.1145/3442188.3445922', { doi: '10.1145/3442188.3445922' }],
    [
      'https://www.biorxiv.org/content/10.1101/2023.12.16.571984v1.full.pdf',
      { doi: '10.1101/2023.12.16.571984' },
    ],
    ['http://biorxiv.org/cgi/content/short/2023.12.16.571984v1?rss=1', { doi: '10.1101/2023.12.16.571984' }],
    // arXiv's own DOI is the arXiv id, not a doi
    ['https://doi.org/10.48550/arXiv.2401.01234', { arxiv: '2401.01234' }],
    ['10.48550/ARXIV.2401.01234', { arxiv: '2401.01234' }],
    ['doi:10.48550/arXiv.hep-th/9901001', { arxiv: 'hep-th/9901001' }],
    // other registries
    ['https://openreview.net/forum?id=abcDEF123', { openreview: 'abcDEF123' }],
    ['https://openreview.net/pdf?id=rJ4km2R5t7', { openreview: 'rJ4km2R5t7' }],
    ['https://openreview.net/forum?id=Ab-_9xYz&noteId=zzzzzz', { openreview: 'Ab-_9xYz' }],
    ['https://openreview.net/forum?utm_source=x&id=Ab9xYzQ', { openreview: 'Ab9xYzQ' }],
    [
      'https://www.semanticscholar.org/paper/Attention-is-All-you-Need/204e3073870fae3d05bcbc2f6a8e263d9b72e776',
      { s2: '204e3073870fae3d05bcbc2f6a8e263d9b72e776' },
    ],
    [
      'https://www.semanticscholar.org/paper/204E3073870FAE3D05BCBC2F6A8E263D9B72E776',
      { s2: '204e3073870fae3d05bcbc2f6a8e263d9b72e776' },
    ],
    [
      'https://api.semanticscholar.org/graph/v1/paper/204e3073870fae3d05bcbc2f6a8e263d9b72e776?fields=title',
      { s2: '204e3073870fae3d05bcbc2f6a8e263d9b72e776' },
    ],
    ['https://openalex.org/W2741809807', { openalex: 'W2741809807' }],
    ['https://api.openalex.org/works/w2741809807', { openalex: 'W2741809807' }],
    // HTML-escaped input (HN story_text)
    ['see https:&#x2F;&#x2F;arxiv.org&#x2F;abs&#x2F;2401.01234 please', { arxiv: '2401.01234' }],
    [
      '&lt;a href=&quot;https://arxiv.org/abs/2401.01234v4&quot;&gt;',
      { arxiv: '2401.01234', arxivVersion: 4 },
    ],
    // several ids together
    [
      'https://arxiv.org/abs/2401.01234 and https://doi.org/10.1000/xyz and https://huggingface.co/papers/2401.01234',
      { arxiv: '2401.01234', doi: '10.1000/xyz', hf: '2401.01234' },
    ],
    [
      'arXiv:2401.01234 ... arXiv:2401.01234v3 ... arXiv:2401.01234v2',
      { arxiv: '2401.01234', arxivVersion: 3 },
    ],
    ['arXiv:2401.01234v1 then arXiv:2402.05678v5', { arxiv: '2401.01234', arxivVersion: 1 }],
  ])('%s', (input, expected) => {
    expect(extractIds(input)).toEqual(expected);
  });

  it.each([
    'version 1.2345 released',
    '2401.01234',
    'see 2401.01234v2 for details',
    'on 2024-01-15 at 10:30',
    'call 555-1234 or +1 (555) 123-4567',
    'upgrade to v2.0 now',
    'Python 3.10.12 and Node 20.19.4',
    'the ratio 10.5/2 and 10.25 ms',
    'IP 10.12345.6.7',
    'arXiv is great',
    'arXiv:1234.5678',
    'https://arxiv.org/abs/2413.01234',
    'https://arxiv.org/abs/2401.1234',
    'https://arxiv.org/abs/1401.01234',
    'https://arxiv.org/abs/0612.0001',
    'https://arxiv.org/abs/2401.00000',
    'https://arxiv.org/abs/2401.012345',
    'https://fakearxiv.org/abs/2401.01234',
    'https://evil-arxiv.org/abs/2401.01234',
    'https://arxiv.org/list/cs.LG/recent',
    'http://rss.arxiv.org/rss/cs.LG+cs.AI+cs.CL+stat.ML',
    'https://huggingface.co/papers',
    'https://openreview.net/group?id=ICLR.cc/2024/Conference',
    'https://example.com/docs/cs/0101001',
    'foo/9901001',
    'hep-th/9913001',
    'https://openalex.org/A5023888391',
    '',
  ])('finds nothing in %j', (input) => {
    expect(extractIds(input)).toEqual({});
  });

  it('ignores non-string input', () => {
    expect(extractIds(undefined as unknown as string)).toEqual({});
  });
});

describe('canonicalArxivId', () => {
  it.each<[string, { id: string; version?: number } | undefined]>([
    ['2401.01234', { id: '2401.01234' }],
    ['2401.01234v2', { id: '2401.01234', version: 2 }],
    [' 2401.01234v12 ', { id: '2401.01234', version: 12 }],
    ['2401.01234v0', { id: '2401.01234' }],
    ['0704.0001', { id: '0704.0001' }],
    ['2606.00467', { id: '2606.00467' }],
    ['hep-th/9901001v2', { id: 'hep-th/9901001', version: 2 }],
    ['cond-mat/0412498v1', { id: 'cond-mat/0412498', version: 1 }],
    ['math.GT/0309136', { id: 'math/0309136' }],
    ['HEP-TH/9901001', { id: 'hep-th/9901001' }],
    ['physics.acc-ph/0101001', { id: 'physics/0101001' }],
    ['arXiv:2609.26811v1', { id: '2609.26811', version: 1 }],
    ['oai:arXiv.org:2609.26811v1', { id: '2609.26811', version: 1 }],
    ['http://arxiv.org/abs/cond-mat/0412498v1', { id: 'cond-mat/0412498', version: 1 }],
    ['https://arxiv.org/pdf/2401.01234v2.pdf', { id: '2401.01234', version: 2 }],
    ['2401.01234v2.pdf', { id: '2401.01234', version: 2 }],
    ['https://huggingface.co/papers/2401.01234', { id: '2401.01234' }],
    ['10.48550/arXiv.2401.01234', { id: '2401.01234' }],
    ['https://doi.org/10.48550/arXiv.2401.01234', { id: '2401.01234' }],
    ['2401.1234', undefined],
    ['2413.01234', undefined],
    ['1.2345', undefined],
    ['hello', undefined],
    ['', undefined],
    ['   ', undefined],
    ['x'.repeat(10_000), undefined],
  ])('%j', (raw, expected) => {
    expect(canonicalArxivId(raw)).toEqual(expected);
  });
});

describe('validateArxivId', () => {
  it.each<[string, string | undefined]>([
    ['0704.0001', '0704.0001'],
    ['0703.0001', undefined],
    ['1412.9999', '1412.9999'],
    ['1501.00001', '1501.00001'],
    ['1501.0001', undefined],
    ['2400.01234', undefined],
    ['9108.001', undefined],
    ['hep-th/9108001', 'hep-th/9108001'],
    ['hep-th/0703001', 'hep-th/0703001'],
    ['hep-th/0813001', undefined],
    ['hep-th/9901000', undefined],
    ['nope/9901001', undefined],
  ])('%s', (raw, expected) => {
    expect(validateArxivId(raw)).toBe(expected);
  });
});

describe('canonicalDoi', () => {
  it.each<[string, string | undefined]>([
    ['10.1000/xyz', '10.1000/xyz'],
    ['  10.1000/XYZ  ', '10.1000/xyz'],
    ['https://doi.org/10.1000/xyz', '10.1000/xyz'],
    ['http://dx.doi.org/10.1142/S021797921244002X', '10.1142/s021797921244002x'],
    ['https://www.doi.org/10.1000/xyz', '10.1000/xyz'],
    ['doi:10.1000/xyz', '10.1000/xyz'],
    ['DOI: 10.1000/xyz', '10.1000/xyz'],
    ['info:doi/10.1000/xyz', '10.1000/xyz'],
    ['10.1000/xyz.', '10.1000/xyz'],
    ['10.1000/xyz,', '10.1000/xyz'],
    ['10.1000/xyz);', '10.1000/xyz'],
    ['10.1000/xyz]', '10.1000/xyz'],
    ['10.1000/xyz.pdf', '10.1000/xyz'],
    ['10.1016/S0140-6736(20)30183-5', '10.1016/s0140-6736(20)30183-5'],
    ['10.1016/S0140-6736(20)30183-5).', '10.1016/s0140-6736(20)30183-5'],
    [
      '10.1002/(SICI)1097-4636(199706)35:4<507::AID-JBM11>3.0.CO;2-J',
      '10.1002/(sici)1097-4636(199706)35:4<507::aid-jbm11>3.0.co;2-j',
    ],
    ['https://doi.org/10.1000%2Fabc%28x%29', '10.1000/abc(x)'],
    ['https://doi.org/10.1000/abc%ZZ', '10.1000/abc%zz'],
    ['https://doi.org/10.1000/abc?utm_source=x#frag', '10.1000/abc'],
    ['10.1101/2023.12.16.571984v1', '10.1101/2023.12.16.571984'],
    ['10.1101/2023.12.16.571984v2.full.pdf', '10.1101/2023.12.16.571984'],
    ['10.1101/123456', '10.1101/123456'],
    ['10.48550/arXiv.2401.01234', '10.48550/arxiv.2401.01234'],
    ['see https://dl.acm.org/doi/10.1145/3442188.3445922 now', '10.1145/3442188.3445922'],
    ['10.1000', undefined],
    ['10.1000/', undefined],
    ['10.1000/.', undefined],
    ['11.1000/xyz', undefined],
    ['10.12/xyz', undefined],
    ['', undefined],
    ['not a doi', undefined],
  ])('%j', (raw, expected) => {
    expect(canonicalDoi(raw)).toBe(expected);
  });
});

describe('arxivIdFromDoi', () => {
  it.each<[string, string | undefined]>([
    ['10.48550/arxiv.2401.01234', '2401.01234'],
    ['10.48550/ARXIV.2401.01234', '2401.01234'],
    ['10.48550/arxiv.hep-th/9901001', 'hep-th/9901001'],
    ['10.48550/arxiv.2413.01234', undefined],
    ['10.1000/arxiv.2401.01234', undefined],
  ])('%s', (doi, expected) => {
    expect(arxivIdFromDoi(doi)).toBe(expected);
  });
});

describe('other registries', () => {
  it.each<[string, string | undefined]>([
    ['abcDEF123', 'abcDEF123'],
    ['https://openreview.net/forum?id=abcDEF123', 'abcDEF123'],
    ['https://openreview.net/pdf?id=rJ4km2R5t7', 'rJ4km2R5t7'],
    ['not an id!', undefined],
    ['', undefined],
  ])('canonicalOpenReviewId(%j)', (raw, expected) => {
    expect(canonicalOpenReviewId(raw)).toBe(expected);
  });

  it.each<[string, string | undefined]>([
    ['204e3073870fae3d05bcbc2f6a8e263d9b72e776', '204e3073870fae3d05bcbc2f6a8e263d9b72e776'],
    ['204E3073870FAE3D05BCBC2F6A8E263D9B72E776', '204e3073870fae3d05bcbc2f6a8e263d9b72e776'],
    [
      'https://www.semanticscholar.org/paper/204e3073870fae3d05bcbc2f6a8e263d9b72e776',
      '204e3073870fae3d05bcbc2f6a8e263d9b72e776',
    ],
    ['204e3073870fae3d05bcbc2f6a8e263d9b72e77', undefined],
    ['CorpusId:13756489', undefined],
  ])('canonicalS2Id(%j)', (raw, expected) => {
    expect(canonicalS2Id(raw)).toBe(expected);
  });

  it.each<[string, string | undefined]>([
    ['W2741809807', 'W2741809807'],
    ['w2741809807', 'W2741809807'],
    ['https://openalex.org/W2741809807', 'W2741809807'],
    ['https://openalex.org/A5023888391', undefined],
    ['2741809807', undefined],
  ])('canonicalOpenAlexId(%j)', (raw, expected) => {
    expect(canonicalOpenAlexId(raw)).toBe(expected);
  });
});

describe('identityKeys', () => {
  it.each<[Parameters<typeof identityKeys>[0], string[]]>([
    [{}, []],
    [{ arxiv: '2401.01234' }, ['arxiv:2401.01234']],
    [
      {
        openalex: 'W1',
        s2: 'ab'.repeat(20),
        hf: '2401.01234',
        openreview: 'abc',
        doi: '10.1000/xyz',
        arxiv: '2401.01234',
      },
      [
        'arxiv:2401.01234',
        'doi:10.1000/xyz',
        'openreview:abc',
        'hf:2401.01234',
        `s2:${'ab'.repeat(20)}`,
        'openalex:W1',
      ],
    ],
    [{ arxiv: 'hep-th/9901001', doi: '' }, ['arxiv:hep-th/9901001']],
    [{ doi: '  ' }, []],
  ])('%j', (ids, expected) => {
    expect(identityKeys(ids)).toEqual(expected);
  });

  it('ignores inherited and polluted keys', () => {
    const ids = JSON.parse('{"__proto__": {"arxiv": "9999.99999"}, "doi": "10.1000/x"}');
    expect(identityKeys(ids)).toEqual(['doi:10.1000/x']);
    expect(({} as Record<string, unknown>).arxiv).toBeUndefined();
  });
});
