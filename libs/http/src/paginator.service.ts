import { Injectable } from '@nestjs/common';
import { CursorKeyProvider } from './cursor-key.provider.js';
import { paginate, type Page, type PageQuery, type PageSource } from './page.util.js';

/** Keyset pages whose cursors are signed with the deployment's cursor key: every paginated route uses it. */
@Injectable()
export class Paginator {
  constructor(private readonly keys: CursorKeyProvider) {}

  paginate<Row, Item, K extends readonly unknown[] | []>(page: PageQuery, source: PageSource<Row, Item, K>): Promise<Page<Item>> {
    return paginate(page, source, this.keys.key());
  }
}
