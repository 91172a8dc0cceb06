package dev.dinggate.batch;

import dev.dinggate.contact.CreateUserRequest;
import dev.dinggate.contact.UpdateUserRequest;
import dev.dinggate.orgaccount.ChangeDingTalkIdRequest;
import dev.dinggate.orgaccount.VisibilityRequest;

/** One item of a batch, read and validated: the operation and the body its single call would take. */
sealed interface BatchItem {

    BatchOperation operation();

    record ChangeDingTalkId(String userId, ChangeDingTalkIdRequest request) implements BatchItem {
        @Override
        public BatchOperation operation() {
            return BatchOperation.CHANGE_DINGTALK_ID;
        }
    }

    record MakeVisible(VisibilityRequest request) implements BatchItem {
        @Override
        public BatchOperation operation() {
            return BatchOperation.MAKE_VISIBLE;
        }
    }

    record CreateUser(CreateUserRequest request) implements BatchItem {
        @Override
        public BatchOperation operation() {
            return BatchOperation.CREATE_USER;
        }
    }

    record UpdateUser(String userId, UpdateUserRequest request) implements BatchItem {
        @Override
        public BatchOperation operation() {
            return BatchOperation.UPDATE_USER;
        }
    }

    record DeleteUser(String userId) implements BatchItem {
        @Override
        public BatchOperation operation() {
            return BatchOperation.DELETE_USER;
        }
    }
}
