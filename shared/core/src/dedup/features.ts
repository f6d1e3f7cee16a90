// Title features computed once per entry: compact form, shingles, numbers, markers, main title.
import { mainTitle, markersOfWords, numbersOfWords, shinglesOfCompact, titleForDedup } from './title.ts';

export interface TitleFeatures {
  /** titleForDedup split into words. */
  words: string[];
  /** Letters and digits only. */
  compact: string;
  /** Sorted, without repeats (`jaccard` relies on it). */
  shingles: string[];
  numbers: string[];
  markers: string[];
  /** Words of the main title when the title has a subtitle. */
  main?: string[];
  mainNumbers?: string[];
}

export function compactOf(words: readonly string[]): string {
  return words.join('');
}

export function titleFeatures(title: string): TitleFeatures {
  const normal = titleForDedup(title);
  const words = normal.length > 0 ? normal.split(' ') : [];
  const compact = compactOf(words);
  const mainText = mainTitle(title);
  const main = mainText === undefined ? undefined : mainText.split(' ');
  return {
    words,
    compact,
    shingles: shinglesOfCompact(compact),
    numbers: numbersOfWords(words),
    markers: markersOfWords(words),
    ...(main === undefined ? {} : { main, mainNumbers: numbersOfWords(main) }),
  };
}
