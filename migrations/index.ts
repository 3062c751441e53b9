import { Init1764300000000 } from './1764300000000-Init.js';
import { Notifications1764400000000 } from './1764400000000-Notifications.js';
import { OutboxAcknowledgement1764500000000 } from './1764500000000-OutboxAcknowledgement.js';
import { PublicRegistry1764600000000 } from './1764600000000-PublicRegistry.js';
import { AppendOnlyTables1764780000000 } from './1764780000000-AppendOnlyTables.js';
import { CursorKey1764790000000 } from './1764790000000-CursorKey.js';
import { OperatorLogAndTokens1764800000000 } from './1764800000000-OperatorLogAndTokens.js';
import { TransparencyLog1764810000000 } from './1764810000000-TransparencyLog.js';
import { Witness1764820000000 } from './1764820000000-Witness.js';
import { Incidents1764830000000 } from './1764830000000-Incidents.js';
import { WitnessCosignatures1764840000000 } from './1764840000000-WitnessCosignatures.js';
import { CaseHeads1764850000000 } from './1764850000000-CaseHeads.js';
import { Redactions1764860000000 } from './1764860000000-Redactions.js';
import { LineageIndex1764880000000 } from './1764880000000-LineageIndex.js';
import { OutboxNotify1764890000000 } from './1764890000000-OutboxNotify.js';
import { ScaleReads1764900000000 } from './1764900000000-ScaleReads.js';
import { RegistrySearch1764910000000 } from './1764910000000-RegistrySearch.js';
import { TokenCacheNotify1764930000000 } from './1764930000000-TokenCacheNotify.js';
import { OutboxNotifyRows1764940000000 } from './1764940000000-OutboxNotifyRows.js';
import { ScaleFilters1764950000000 } from './1764950000000-ScaleFilters.js';
import { Lz4Compression1764970000000 } from './1764970000000-Lz4Compression.js';
import { CaseStays1764980000000 } from './1764980000000-CaseStays.js';
import { OutboxWakeOverRedis1764995000000 } from './1764995000000-OutboxWakeOverRedis.js';
import { DropDuplicateDeadlineIndex1765000000000 } from './1765000000000-DropDuplicateDeadlineIndex.js';
import { CaseFactsOnDeadlines1765100000000 } from './1765100000000-CaseFactsOnDeadlines.js';
import { SummaryCost1765110000000 } from './1765110000000-SummaryCost.js';
import { DeadlineRowsAcknowledged1765120000000 } from './1765120000000-DeadlineRowsAcknowledged.js';
import { UserLookupIndexes1765130000000 } from './1765130000000-UserLookupIndexes.js';
import { CasesByModelVersion1765140000000 } from './1765140000000-CasesByModelVersion.js';
import { FiredDeadlinesAndModelNames1765150000000 } from './1765150000000-FiredDeadlinesAndModelNames.js';
import { DeliveriesByCreation1765160000000 } from './1765160000000-DeliveriesByCreation.js';
import { UnreadInbox1765170000000 } from './1765170000000-UnreadInbox.js';
import { FindingCount1765180000000 } from './1765180000000-FindingCount.js';

/** Every migration, oldest first. */
export const MIGRATIONS = [
  Init1764300000000,
  Notifications1764400000000,
  OutboxAcknowledgement1764500000000,
  PublicRegistry1764600000000,
  AppendOnlyTables1764780000000,
  CursorKey1764790000000,
  OperatorLogAndTokens1764800000000,
  TransparencyLog1764810000000,
  Witness1764820000000,
  Incidents1764830000000,
  WitnessCosignatures1764840000000,
  CaseHeads1764850000000,
  Redactions1764860000000,
  LineageIndex1764880000000,
  OutboxNotify1764890000000,
  ScaleReads1764900000000,
  RegistrySearch1764910000000,
  TokenCacheNotify1764930000000,
  OutboxNotifyRows1764940000000,
  ScaleFilters1764950000000,
  Lz4Compression1764970000000,
  CaseStays1764980000000,
  OutboxWakeOverRedis1764995000000,
  DropDuplicateDeadlineIndex1765000000000,
  CaseFactsOnDeadlines1765100000000,
  SummaryCost1765110000000,
  DeadlineRowsAcknowledged1765120000000,
  UserLookupIndexes1765130000000,
  CasesByModelVersion1765140000000,
  FiredDeadlinesAndModelNames1765150000000,
  DeliveriesByCreation1765160000000,
  UnreadInbox1765170000000,
  FindingCount1765180000000,
];
