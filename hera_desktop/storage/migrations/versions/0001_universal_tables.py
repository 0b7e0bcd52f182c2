"""the six universal tables and machinery

Revision ID: 0001
Revises: 
"""
from alembic import op
import sqlalchemy as sa

from hera_desktop.storage.types import ExactDecimal


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('core_organizations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('organization_name', sa.String(length=255), nullable=False),
    sa.Column('organization_code', sa.String(length=100), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('metadata', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_organizations')),
    sa.UniqueConstraint('organization_code', name=op.f('uq_core_organizations_organization_code'))
    )
    op.create_table('hera_event_outbox',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('organization_id', sa.String(length=36), nullable=False),
    sa.Column('event_type', sa.String(length=100), nullable=False),
    sa.Column('aggregate_id', sa.String(length=36), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('delivered_at', sa.String(length=32), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hera_event_outbox'))
    )
    with op.batch_alter_table('hera_event_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hera_event_outbox_organization_id_delivered_at_id'), ['organization_id', 'delivered_at', 'id'], unique=False)

    op.create_table('hera_gl_daily_balances',
    sa.Column('organization_id', sa.String(length=36), nullable=False),
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('posting_date', sa.String(length=10), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('debit', ExactDecimal(), nullable=False),
    sa.Column('credit', ExactDecimal(), nullable=False),
    sa.PrimaryKeyConstraint('organization_id', 'account_id', 'posting_date', 'currency', name=op.f('pk_hera_gl_daily_balances'))
    )
    op.create_table('hera_settings',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_hera_settings'))
    )
    op.create_table('hera_stock_levels',
    sa.Column('organization_id', sa.String(length=36), nullable=False),
    sa.Column('product_id', sa.String(length=36), nullable=False),
    sa.Column('location_id', sa.String(length=36), nullable=False),
    sa.Column('quantity', ExactDecimal(), nullable=False),
    sa.PrimaryKeyConstraint('organization_id', 'product_id', 'location_id', name=op.f('pk_hera_stock_levels'))
    )
    op.create_table('core_entities',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('organization_id', sa.String(length=36), nullable=False),
    sa.Column('entity_type', sa.String(length=100), nullable=False),
    sa.Column('entity_name', sa.String(length=255), nullable=False),
    sa.Column('entity_code', sa.String(length=100), nullable=False),
    sa.Column('smart_code', sa.String(length=200), nullable=False),
    sa.Column('classification', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=100), nullable=False),
    sa.Column('metadata', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['core_organizations.id'], name=op.f('fk_core_entities_organization_id_core_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_entities'))
    )
    with op.batch_alter_table('core_entities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_entities_organization_id_created_at_id'), ['organization_id', 'created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_entities_organization_id_entity_type_entity_code'), ['organization_id', 'entity_type', 'entity_code'], unique=True)
        batch_op.create_index(batch_op.f('ix_core_entities_organization_id_entity_type_entity_name'), ['organization_id', 'entity_type', 'entity_name'], unique=False)

    op.create_table('core_dynamic_data',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('organization_id', sa.String(length=36), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('field_name', sa.String(length=100), nullable=False),
    sa.Column('field_type', sa.String(length=16), nullable=False),
    sa.Column('field_value_text', sa.Text(), nullable=True),
    sa.Column('field_value_number', ExactDecimal(), nullable=True),
    sa.Column('field_value_boolean', sa.Boolean(), nullable=True),
    sa.Column('field_value_date', sa.String(length=32), nullable=True),
    sa.Column('field_value_json', sa.JSON(), nullable=True),
    sa.Column('smart_code', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.ForeignKeyConstraint(['entity_id'], ['core_entities.id'], name=op.f('fk_core_dynamic_data_entity_id_core_entities')),
    sa.ForeignKeyConstraint(['organization_id'], ['core_organizations.id'], name=op.f('fk_core_dynamic_data_organization_id_core_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_dynamic_data'))
    )
    with op.batch_alter_table('core_dynamic_data', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_dynamic_data_organization_id_entity_id_field_name'), ['organization_id', 'entity_id', 'field_name'], unique=True)
        batch_op.create_index(batch_op.f('ix_core_dynamic_data_organization_id_field_name_field_value_text'), ['organization_id', 'field_name', 'field_value_text'], unique=False)

    op.create_table('core_relationships',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('organization_id', sa.String(length=36), nullable=False),
    sa.Column('from_entity_id', sa.String(length=36), nullable=False),
    sa.Column('to_entity_id', sa.String(length=36), nullable=False),
    sa.Column('relationship_type', sa.String(length=100), nullable=False),
    sa.Column('smart_code', sa.String(length=200), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('metadata', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.ForeignKeyConstraint(['from_entity_id'], ['core_entities.id'], name=op.f('fk_core_relationships_from_entity_id_core_entities')),
    sa.ForeignKeyConstraint(['organization_id'], ['core_organizations.id'], name=op.f('fk_core_relationships_organization_id_core_organizations')),
    sa.ForeignKeyConstraint(['to_entity_id'], ['core_entities.id'], name=op.f('fk_core_relationships_to_entity_id_core_entities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_relationships'))
    )
    with op.batch_alter_table('core_relationships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_relationships_organization_id_from_entity_id_relationship_type'), ['organization_id', 'from_entity_id', 'relationship_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_relationships_organization_id_to_entity_id_relationship_type'), ['organization_id', 'to_entity_id', 'relationship_type'], unique=False)

    op.create_table('universal_transactions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('organization_id', sa.String(length=36), nullable=False),
    sa.Column('transaction_type', sa.String(length=100), nullable=False),
    sa.Column('transaction_code', sa.String(length=100), nullable=False),
    sa.Column('transaction_date', sa.String(length=32), nullable=False),
    sa.Column('source_entity_id', sa.String(length=36), nullable=True),
    sa.Column('target_entity_id', sa.String(length=36), nullable=True),
    sa.Column('total_amount', ExactDecimal(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('smart_code', sa.String(length=200), nullable=False),
    sa.Column('business_context', sa.JSON(), nullable=False),
    sa.Column('metadata', sa.JSON(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.Column('idempotency_fingerprint', sa.String(length=64), nullable=True),
    sa.Column('reversal_of', sa.String(length=36), nullable=True),
    sa.Column('terminal_id', sa.String(length=36), nullable=False),
    sa.Column('chain_seq', sa.Integer(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['core_organizations.id'], name=op.f('fk_universal_transactions_organization_id_core_organizations')),
    sa.ForeignKeyConstraint(['reversal_of'], ['universal_transactions.id'], name=op.f('fk_universal_transactions_reversal_of_universal_transactions')),
    sa.ForeignKeyConstraint(['source_entity_id'], ['core_entities.id'], name=op.f('fk_universal_transactions_source_entity_id_core_entities')),
    sa.ForeignKeyConstraint(['target_entity_id'], ['core_entities.id'], name=op.f('fk_universal_transactions_target_entity_id_core_entities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_universal_transactions'))
    )
    with op.batch_alter_table('universal_transactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_universal_transactions_organization_id_created_at_id'), ['organization_id', 'created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_universal_transactions_organization_id_idempotency_key'), ['organization_id', 'idempotency_key'], unique=True)
        batch_op.create_index(batch_op.f('ix_universal_transactions_organization_id_reference'), ['organization_id', 'reference'], unique=False)
        batch_op.create_index(batch_op.f('ix_universal_transactions_organization_id_reversal_of'), ['organization_id', 'reversal_of'], unique=True)
        batch_op.create_index(batch_op.f('ix_universal_transactions_organization_id_source_entity_id'), ['organization_id', 'source_entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_universal_transactions_organization_id_terminal_id_chain_seq'), ['organization_id', 'terminal_id', 'chain_seq'], unique=True)
        batch_op.create_index(batch_op.f('ix_universal_transactions_organization_id_transaction_date'), ['organization_id', 'transaction_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_universal_transactions_organization_id_transaction_type_transaction_date'), ['organization_id', 'transaction_type', 'transaction_date'], unique=False)

    op.create_table('universal_transaction_lines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('organization_id', sa.String(length=36), nullable=False),
    sa.Column('transaction_id', sa.String(length=36), nullable=False),
    sa.Column('line_number', sa.Integer(), nullable=False),
    sa.Column('line_type', sa.String(length=100), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=True),
    sa.Column('quantity', ExactDecimal(), nullable=True),
    sa.Column('unit_price', ExactDecimal(), nullable=True),
    sa.Column('line_amount', ExactDecimal(), nullable=True),
    sa.Column('dr_cr', sa.String(length=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('smart_code', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('metadata', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['entity_id'], ['core_entities.id'], name=op.f('fk_universal_transaction_lines_entity_id_core_entities')),
    sa.ForeignKeyConstraint(['organization_id'], ['core_organizations.id'], name=op.f('fk_universal_transaction_lines_organization_id_core_organizations')),
    sa.ForeignKeyConstraint(['transaction_id'], ['universal_transactions.id'], name=op.f('fk_universal_transaction_lines_transaction_id_universal_transactions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_universal_transaction_lines'))
    )
    with op.batch_alter_table('universal_transaction_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_universal_transaction_lines_organization_id_entity_id'), ['organization_id', 'entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_universal_transaction_lines_organization_id_transaction_id_line_number'), ['organization_id', 'transaction_id', 'line_number'], unique=True)

    


def downgrade() -> None:
    
    with op.batch_alter_table('universal_transaction_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_universal_transaction_lines_organization_id_transaction_id_line_number'))
        batch_op.drop_index(batch_op.f('ix_universal_transaction_lines_organization_id_entity_id'))

    op.drop_table('universal_transaction_lines')
    with op.batch_alter_table('universal_transactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_universal_transactions_organization_id_transaction_type_transaction_date'))
        batch_op.drop_index(batch_op.f('ix_universal_transactions_organization_id_transaction_date'))
        batch_op.drop_index(batch_op.f('ix_universal_transactions_organization_id_terminal_id_chain_seq'))
        batch_op.drop_index(batch_op.f('ix_universal_transactions_organization_id_source_entity_id'))
        batch_op.drop_index(batch_op.f('ix_universal_transactions_organization_id_reversal_of'))
        batch_op.drop_index(batch_op.f('ix_universal_transactions_organization_id_reference'))
        batch_op.drop_index(batch_op.f('ix_universal_transactions_organization_id_idempotency_key'))
        batch_op.drop_index(batch_op.f('ix_universal_transactions_organization_id_created_at_id'))

    op.drop_table('universal_transactions')
    with op.batch_alter_table('core_relationships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_relationships_organization_id_to_entity_id_relationship_type'))
        batch_op.drop_index(batch_op.f('ix_core_relationships_organization_id_from_entity_id_relationship_type'))

    op.drop_table('core_relationships')
    with op.batch_alter_table('core_dynamic_data', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_dynamic_data_organization_id_field_name_field_value_text'))
        batch_op.drop_index(batch_op.f('ix_core_dynamic_data_organization_id_entity_id_field_name'))

    op.drop_table('core_dynamic_data')
    with op.batch_alter_table('core_entities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_entities_organization_id_entity_type_entity_name'))
        batch_op.drop_index(batch_op.f('ix_core_entities_organization_id_entity_type_entity_code'))
        batch_op.drop_index(batch_op.f('ix_core_entities_organization_id_created_at_id'))

    op.drop_table('core_entities')
    op.drop_table('hera_stock_levels')
    op.drop_table('hera_settings')
    op.drop_table('hera_gl_daily_balances')
    with op.batch_alter_table('hera_event_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hera_event_outbox_organization_id_delivered_at_id'))

    op.drop_table('hera_event_outbox')
    op.drop_table('core_organizations')
    
