/** Shapes shared by many answers: pages of a list, deletions. */
import { type JSONObject, isObject, num, objects, text } from "../json.js";

/** Where a page sits in a list: `page` of `totalPages`, `limit` items each, `total` in all. */
export interface Pagination {
  total: number;
  page: number;
  limit: number;
  totalPages: number;
}

/** One page of a list; iterate `items`, look at `hasNext` for more. */
export interface Page<T> {
  items: T[];
  pagination: Pagination | null;
  /** Whether a later page exists. */
  hasNext: boolean;
}

/** A parser of `{key: [...], "pagination": {...}}` answers. */
export function pageReader<T>(key: string, item: (data: JSONObject) => T): (data: JSONObject) => Page<T> {
  return (data) => {
    const paging = isObject(data.pagination) ? data.pagination : null;
    const pagination = paging && {
      total: num(paging, "total"), page: num(paging, "page", 1), limit: num(paging, "limit"),
      totalPages: num(paging, "total_pages"),
    };
    return { items: objects(data, key).map(item), pagination, hasNext: !!pagination && pagination.page < pagination.totalPages };
  };
}

/** A parser of `{key: [...]}` answers. */
export const listReader = <T>(key: string, item: (data: JSONObject) => T) => (data: JSONObject): T[] => objects(data, key).map(item);

/** The answer to a deletion: the id that is gone. */
export interface Deleted {
  id: string;
  message: string;
}

export const parseDeleted = (data: JSONObject): Deleted => ({ id: text(data, "id"), message: text(data, "message") });

/** The `message` of a `{"message": …}` answer. */
export const parseMessage = (data: JSONObject): string => text(data, "message");
