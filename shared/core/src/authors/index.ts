// Author lists (splitAuthors) and author matching keys (authorKey). Pure.
export { authorKey, authorNameFromContact, MAX_AUTHOR_NAME_CHARS, splitAuthors } from './authors.ts';
