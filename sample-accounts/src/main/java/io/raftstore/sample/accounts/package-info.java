/**
 * A sample application that uses RaftStore the way any deployed application would: it injects
 * {@code StoreConnectionFactory} from {@code eis/raftstore}, keeps each balance under
 * {@code accounts/<name>}, and moves money in one container-managed transaction
 * ({@link io.raftstore.sample.accounts.AccountService}), served as JSON by
 * {@link io.raftstore.sample.accounts.AccountsResource}.
 */
package io.raftstore.sample.accounts;
